import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  checkEvidenceDetails,
  checkEvidenceFile,
  emptyEvidenceForm,
  EVIDENCE_FILE_TYPES,
  formatFileSize,
  safeFileName,
  type EvidenceFormInput,
} from './need-evidence.js';

const TODAY = '2025-03-14';

const OBSERVATION: EvidenceFormInput = {
  kind: 'teacher_observation',
  date: { day: '3', month: '2', year: '2025' },
  summary: ' Late arrivals on Mondays ',
  snapshotId: '',
};

describe('checkEvidenceDetails', () => {
  it('returns the details to store', () => {
    expect(checkEvidenceDetails(OBSERVATION, TODAY, new Set())).toEqual({
      ok: true,
      details: {
        kind: 'teacher_observation',
        evidenceDate: '2025-02-03',
        summary: 'Late arrivals on Mondays',
        snapshotId: null,
      },
    });
  });

  it('links data analysis to an offered analysis', () => {
    const input = { ...OBSERVATION, kind: 'data_analysis', snapshotId: '12' };

    const result = checkEvidenceDetails(input, TODAY, new Set([12]));

    expect(result).toMatchObject({ ok: true, details: { snapshotId: 12 } });
  });

  it('keeps an analysis quoted by another kind', () => {
    const input = { ...OBSERVATION, kind: 'research', snapshotId: '12' };

    const result = checkEvidenceDetails(input, TODAY, new Set([12]));

    expect(result).toMatchObject({ ok: true, details: { snapshotId: 12 } });
  });

  it.each([
    ['data_analysis', ''],
    ['data_analysis', '13'],
    ['data_analysis', '12abc'],
    ['teacher_observation', '13'],
  ])('rejects %s quoting %j', (kind, snapshotId) => {
    const message = 'Select the saved analysis the evidence quotes';
    const input = { ...OBSERVATION, kind, snapshotId };

    expect(checkEvidenceDetails(input, TODAY, new Set([12]))).toEqual({
      ok: false,
      errors: [{ text: message, href: '#snapshotId' }],
      dateParts: [],
    });
  });

  it('says to save an analysis when there is none', () => {
    const input = { ...OBSERVATION, kind: 'data_analysis' };

    const result = checkEvidenceDetails(input, TODAY, new Set());

    expect(result).toMatchObject({
      ok: false,
      errors: [{ text: 'Save an analysis on the gaps page first, then choose it here' }],
    });
  });

  it('lists every problem of an empty form', () => {
    expect(checkEvidenceDetails(emptyEvidenceForm(), TODAY, new Set())).toEqual({
      ok: false,
      errors: [
        { text: 'Select the kind of evidence', href: '#kind' },
        { text: 'Enter the date of the evidence', href: '#date-day' },
        { text: 'Enter a summary of what the evidence shows', href: '#summary' },
      ],
      dateParts: ['day', 'month', 'year'],
    });
  });

  it('links a date error to its first wrong box', () => {
    const input = { ...OBSERVATION, date: { day: '3', month: '', year: '' } };

    const result = checkEvidenceDetails(input, TODAY, new Set());

    expect(result).toEqual({
      ok: false,
      errors: [{ text: 'Date of the evidence must include a month and year', href: '#date-month' }],
      dateParts: ['month', 'year'],
    });
  });

  it('accepts today and rejects tomorrow', () => {
    const today = { ...OBSERVATION, date: { day: '14', month: '3', year: '2025' } };
    const tomorrow = { ...OBSERVATION, date: { day: '15', month: '3', year: '2025' } };

    expect(checkEvidenceDetails(today, TODAY, new Set()).ok).toBe(true);
    expect(checkEvidenceDetails(tomorrow, TODAY, new Set()).ok).toBe(false);
  });
});

const SIGNATURES: Record<string, Buffer> = {
  pdf: Buffer.from('%PDF-1.7\n'),
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
  ole: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00]),
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]),
  gif: Buffer.from('GIF89a\x01\x00'),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]),
  text: Buffer.from('Pupil voice survey, question 1\r\n'),
};

describe('checkEvidenceFile', () => {
  it.each([
    ['survey.pdf', 'pdf', 'application/pdf'],
    [
      'Notes.DOCX',
      'zip',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['figures.xlsx', 'zip', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [
      'slides.pptx',
      'zip',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    ['notes.odt', 'zip', 'application/vnd.oasis.opendocument.text'],
    ['old.doc', 'ole', 'application/msword'],
    ['old.xls', 'ole', 'application/vnd.ms-excel'],
    ['photo.png', 'png', 'image/png'],
    ['photo.jpg', 'jpeg', 'image/jpeg'],
    ['photo.jpeg', 'jpeg', 'image/jpeg'],
    ['chart.gif', 'gif', 'image/gif'],
    ['chart.webp', 'webp', 'image/webp'],
    ['answers.csv', 'text', 'text/csv'],
    ['notes.txt', 'text', 'text/plain'],
  ])('accepts %s', (name, signature, fileType) => {
    expect(checkEvidenceFile(name, SIGNATURES[signature] as Buffer)).toEqual({
      ok: true,
      fileName: name,
      fileType,
    });
  });

  it.each([
    [
      'page.html',
      'text',
      'The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG, JPEG, GIF or WebP file',
    ],
    ['drawing.svg', 'text', 'The selected file must be a PDF'],
    ['program.exe', 'zip', 'The selected file must be a PDF'],
    ['no-extension', 'pdf', 'The selected file must be a PDF'],
    ['fake.pdf', 'png', 'The selected file is not a real .pdf file'],
    ['fake.png', 'jpeg', 'The selected file is not a real .png file'],
    ['fake.docx', 'ole', 'The selected file is not a real .docx file'],
    ['binary.txt', 'png', 'The selected file is not a real .txt file'],
  ])('rejects %s', (name, signature, message) => {
    const result = checkEvidenceFile(name, SIGNATURES[signature] as Buffer);

    expect(result).toEqual({ ok: false, message: expect.stringContaining(message) });
  });

  it('rejects an empty file', () => {
    expect(checkEvidenceFile('empty.pdf', Buffer.alloc(0))).toEqual({
      ok: false,
      message: 'The selected file is empty',
    });
  });

  it('has a signature for every type', () => {
    for (const [extension, type] of Object.entries(EVIDENCE_FILE_TYPES)) {
      expect(type.matches(Buffer.from([0x00, 0x01, 0x02, 0x03])), extension).toBe(false);
    }
  });
});

describe('safeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\head\\Desktop\\report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['a "quoted" <name>.pdf', 'a quoted name.pdf'],
    ['line\r\nbreak.pdf', 'linebreak.pdf'],
    ['  lots   of   spaces .pdf ', 'lots of spaces .pdf'],
    ['...hidden.pdf', 'hidden.pdf'],
    ['Élève.pdf', 'Élève.pdf'],
    ['', 'evidence'],
    ['///', 'evidence'],
  ])('cleans %j', (name, expected) => {
    expect(safeFileName(name)).toBe(expected);
  });

  it('shortens a long name and keeps its extension', () => {
    const name = safeFileName(`${'a'.repeat(150)}.xlsx`);

    expect(name).toHaveLength(100);
    expect(name.endsWith('a.xlsx')).toBe(true);
  });
});

describe('attachmentDisposition', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['Élève 1.pdf', `attachment; filename="_l_ve 1.pdf"; filename*=UTF-8''%C3%89l%C3%A8ve%201.pdf`],
    [
      "it's (draft).pdf",
      `attachment; filename="it's (draft).pdf"; filename*=UTF-8''it%27s%20%28draft%29.pdf`,
    ],
    ['bad"name\r\n.pdf', `attachment; filename="badname.pdf"; filename*=UTF-8''badname.pdf`],
  ])('names %j', (name, header) => {
    expect(attachmentDisposition(name)).toBe(header);
  });
});

describe('formatFileSize', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [20 * 1024 * 1024, '20 MB'],
    [1_572_864, '1.5 MB'],
  ])('formats %i bytes', (bytes, text) => {
    expect(formatFileSize(bytes)).toBe(text);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ImportProblem, ParsedImport } from './model.js';
import { parseImportFile, sniffFormat } from './parse-import.js';

const ACCEPTANCE = fileURLToPath(
  new URL('../../../shared/acceptance/foundation/', import.meta.url),
);
const FIXTURES = new URL('../../test/fixtures/imports/', import.meta.url);
const hasAcceptance = existsSync(`${ACCEPTANCE}brookfield-ctf25.xml`);
const OPTIONS = {
  academicYear: 2024,
  maxBytes: 20 * 1024 * 1024,
  today: new Date('2025-01-16T12:00:00Z'),
};

function errors(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'error');
}

function warnings(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'warning');
}

const ZIP_START = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
const OLE_START = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00]);

describe('sniffFormat', () => {
  it.each([
    {
      name: 'a CTF named .txt',
      fileName: 'pupils.txt',
      bytes: Buffer.from('<?xml version="1.0"?>\n<CTfile>'),
      format: 'ctf',
    },
    {
      name: 'a CTF with a BOM',
      fileName: 'pupils.xml',
      bytes: Buffer.from('\uFEFF  <CTfile>'),
      format: 'ctf',
    },
    { name: 'a zip named .csv', fileName: 'pupils.csv', bytes: ZIP_START, format: 'xlsx' },
    {
      name: 'CSV text',
      fileName: 'pupils.csv',
      bytes: Buffer.from('UPN,Surname\n'),
      format: 'csv',
    },
    {
      name: 'text named .xml',
      fileName: 'pupils.xml',
      bytes: Buffer.from('UPN,Surname\n'),
      format: 'ctf',
    },
    { name: 'other XML', fileName: 'pupils.dat', bytes: Buffer.from('<Pupils/>'), format: 'ctf' },
  ])('reads $name as $format', ({ fileName, bytes, format }) => {
    expect(sniffFormat(bytes, fileName)).toEqual({ ok: true, format, note: null });
  });

  it('reads text named .xlsx as CSV with a note', () => {
    const sniffed = sniffFormat(Buffer.from('UPN,Surname\n'), 'pupils.xlsx');
    expect(sniffed).toMatchObject({ ok: true, format: 'csv' });
    expect(sniffed).toMatchObject({
      ok: true,
      note: expect.stringContaining('named .xlsx but contains text'),
    });
  });

  it.each([
    {
      name: 'an .xls workbook',
      fileName: 'pupils.xls',
      bytes: OLE_START,
      text: 'old-style Excel workbook (.xls)',
    },
    {
      name: 'a PDF',
      fileName: 'pupils.pdf',
      bytes: Buffer.from('%PDF-1.7\n'),
      text: 'The file is a PDF',
    },
    {
      name: 'an HTML table',
      fileName: 'pupils.xls',
      bytes: Buffer.from('<html><table><tr><td>UPN</td></tr></table></html>'),
      text: 'web page (HTML)',
    },
    {
      name: 'binary named .xlsx',
      fileName: 'pupils.xlsx',
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      text: 'It is named .xlsx, but its content is not a workbook or text',
    },
  ])('rejects $name', ({ fileName, bytes, text }) => {
    const sniffed = sniffFormat(bytes, fileName);
    expect(sniffed.ok).toBe(false);
    expect(sniffed).toMatchObject({ ok: false, message: expect.stringContaining(text) });
  });
});

describe('parseImportFile', () => {
  it('states the size limit in MB', async () => {
    const parsed = await parseImportFile('big.csv', Buffer.alloc(1536 * 1024, 0x41), {
      ...OPTIONS,
      maxBytes: 1024 * 1024,
    });
    expect(parsed.pupils).toEqual([]);
    expect(parsed.columns).toBeNull();
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({ file: 'big.csv', location: 'whole file' });
    expect(errors(parsed)[0]?.message).toContain(
      'The file is 1.5 MB, over the 1 MB limit for uploads',
    );
  });

  it('shows bytes when the size rounds to the limit', async () => {
    const parsed = await parseImportFile('big.csv', Buffer.alloc(1024 * 1024 + 1, 0x41), {
      ...OPTIONS,
      maxBytes: 1024 * 1024,
    });
    expect(errors(parsed)[0]?.message).toContain(
      'The file is 1,048,577 bytes, over the 1 MB (1,048,576 bytes) limit',
    );
  });

  it('validates pupils with the file column names', async () => {
    const content = Buffer.from(
      'Pupil UPN,Surname,Forename\nX801400121001,Smith,Amelia\nX801400121001,Smith,Amy\nZ801200001001,Jones,Leo\n',
    );
    const parsed = await parseImportFile('pupils.csv', content, OPTIONS);
    expect(parsed.pupils).toHaveLength(3);
    expect(
      errors(parsed).map((problem) => [problem.location, problem.field, problem.value]),
    ).toEqual([
      ['row 4', 'Pupil UPN', 'Z801200001001'],
      ['row 3', 'Pupil UPN', 'X801400121001'],
    ]);
    expect(errors(parsed)[0]?.message).toContain(
      'pupils.csv, row 4, Pupil UPN: "Z801200001001" is not a valid UPN',
    );
    expect(errors(parsed)[1]?.message).toContain('appears at row 2 and again at row 3');
  });

  it('reads the fixtures without errors', async () => {
    for (const name of [
      'sims-pupils-utf8-bom.csv',
      'arbor-pupils-windows-1252.csv',
      'exclusions.csv',
      'ctf23-older-elements.xml',
    ]) {
      const parsed = await parseImportFile(name, readFileSync(new URL(name, FIXTURES)), OPTIONS);
      expect(errors(parsed), name).toEqual([]);
      expect(parsed.pupils.length, name).toBeGreaterThan(0);
    }
  });

  it('checks exclusion files without names', async () => {
    const parsed = await parseImportFile(
      'e.csv',
      Buffer.from('UPN,Type,Start Date\nX801400121001,Suspension,01/10/2024\n'),
      OPTIONS,
    );
    expect(parsed.contents).toBe('exclusions');
    expect(parsed.problems).toEqual([]);
  });

  it('warns when a CTF describes another year', async () => {
    const parsed = await parseImportFile(
      'ctf23.xml',
      readFileSync(new URL('ctf23-older-elements.xml', FIXTURES)),
      OPTIONS,
    );
    expect(parsed.academicYear).toBe(2023);
    expect(warnings(parsed).map((problem) => problem.message)).toContainEqual(
      expect.stringContaining('The file describes 2023/24, not 2024/25 as chosen'),
    );
  });

  it('reads a workbook end to end', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pupils');
    sheet.addRow([
      'UPN',
      'Legal Surname',
      'Legal Forename',
      'Date of Birth',
      'Sex',
      'Looked After',
    ]);
    sheet.addRow(['X801400121001', 'Kowalska', 'Zoë', new Date(Date.UTC(2030, 0, 1)), 'F', 'Y']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());

    const parsed = await parseImportFile('pupils.bin', content, OPTIONS);
    expect(parsed.format).toBe('xlsx');
    expect(parsed.pupils[0]).toMatchObject({ legalForename: 'Zoë', inCare: true });
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({
      location: 'row 2',
      field: 'Date of Birth',
      value: '2030-01-01',
    });
    expect(errors(parsed)[0]?.message).toContain('is in the future');
  });

  it('rejects a renamed binary file', async () => {
    const parsed = await parseImportFile(
      'pupils.xlsx',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      OPTIONS,
    );
    expect(parsed).toMatchObject({ pupils: [], columns: null });
    expect(errors(parsed)[0]?.message).toContain('named .xlsx');
  });
});

describe('parseImportFile on damaged files', () => {
  /** Cuts `content` at evenly spaced lengths and flips one byte in each copy. */
  function damagedCopies(content: Buffer, count: number): Buffer[] {
    return Array.from({ length: count }, (_, index) => {
      const cut = Buffer.from(
        content.subarray(0, Math.floor((content.length * (index + 1)) / (count + 1))),
      );
      const flipAt = (index * 7919) % Math.max(cut.length, 1);
      if (index % 2 === 1 && cut.length > 0) {
        cut[flipAt] = (cut[flipAt] ?? 0) ^ 0xff;
      }
      return cut;
    });
  }

  it('reports problems without throwing', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Pupils').addRows([
      ['UPN', 'Surname', 'Forename'],
      ['X801400121001', 'Smith', 'Amelia'],
    ]);
    const sources = [
      { name: 'pupils.xlsx', content: Buffer.from(await workbook.xlsx.writeBuffer()) },
      { name: 'pupils.xml', content: readFileSync(new URL('ctf23-older-elements.xml', FIXTURES)) },
      { name: 'pupils.csv', content: readFileSync(new URL('sims-pupils-utf8-bom.csv', FIXTURES)) },
    ];

    for (const { name, content } of sources) {
      for (const copy of damagedCopies(content, 40)) {
        const parsed = await parseImportFile(name, copy, OPTIONS);
        expect(
          parsed.problems.length + parsed.pupils.length,
          `${name} cut to ${copy.length} bytes`,
        ).toBeGreaterThan(0);
      }
    }
  });
});

describe.skipIf(!hasAcceptance)('parseImportFile on the acceptance files', () => {
  it('reads the Brookfield CTF without errors', async () => {
    const parsed = await parseImportFile(
      'brookfield-ctf25.xml',
      readFileSync(`${ACCEPTANCE}brookfield-ctf25.xml`),
      OPTIONS,
    );
    expect(parsed.format).toBe('ctf');
    expect(parsed.pupils).toHaveLength(60);
    expect(errors(parsed)).toEqual([]);
  });

  it.each(['empty.xml', 'truncated.xml', 'xxe-external-entity.xml', 'entity-expansion.xml'])(
    'rejects %s',
    async (name) => {
      const parsed = await parseImportFile(name, readFileSync(`${ACCEPTANCE}${name}`), OPTIONS);
      expect(parsed).toMatchObject({ format: 'ctf', pupils: [], columns: null });
      expect(errors(parsed)).toHaveLength(1);
    },
  );
});

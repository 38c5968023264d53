/**
 * Checks the evidence form and the file that may come with it, and names a stored file safely
 * for download. A data-analysis item must quote a saved analysis, whose figures never change.
 */
import type { EvidenceKind } from '../../platform/db/schema.js';
import {
  checkDateParts,
  checkText,
  type DateParts,
  type FormError,
} from '../../platform/http/form-fields.js';
import { isEvidenceKind } from './need-model.js';

export const EVIDENCE_SUMMARY_MAX_LENGTH = 5000;

/** The evidence form's fields as typed. A field the form did not send is the empty string. */
export interface EvidenceFormInput {
  kind: string;
  date: DateParts;
  summary: string;
  /** The saved analysis the item quotes, by id, or the empty string for none. */
  snapshotId: string;
}

export interface EvidenceDetails {
  kind: EvidenceKind;
  /** ISO date on which the evidence was gathered or published. */
  evidenceDate: string;
  summary: string;
  /** The saved analysis the item quotes: required for data analysis, optional otherwise. */
  snapshotId: number | null;
}

export type EvidenceDetailsCheck =
  | { ok: true; details: EvidenceDetails }
  | { ok: false; errors: FormError[]; dateParts: (keyof DateParts)[] };

export function emptyEvidenceForm(): EvidenceFormInput {
  return { kind: '', date: { day: '', month: '', year: '' }, summary: '', snapshotId: '' };
}

/**
 * Checks the evidence form. `today` is today's ISO date in England, after which no evidence
 * can be dated. `offeredSnapshotIds` are the saved analyses the form offered, so an item never
 * quotes another school's analysis. A data-analysis item must quote one, and any other kind may.
 */
export function checkEvidenceDetails(
  input: EvidenceFormInput,
  today: string,
  offeredSnapshotIds: ReadonlySet<number>,
): EvidenceDetailsCheck {
  const errors: FormError[] = [];

  const kind = input.kind;
  if (!isEvidenceKind(kind)) {
    errors.push({ text: 'Select the kind of evidence', href: '#kind' });
  }

  const snapshot = readSnapshotId(input.snapshotId, offeredSnapshotIds);
  if (snapshot === 'invalid' || (snapshot === null && kind === 'data_analysis')) {
    errors.push({
      text:
        offeredSnapshotIds.size === 0
          ? 'Save an analysis on the gaps page first, then choose it here'
          : 'Select the saved analysis the evidence quotes',
      href: '#snapshotId',
    });
  }
  const snapshotId = snapshot === 'invalid' ? null : snapshot;

  const date = checkDateParts(input.date, 'Date of the evidence', {
    missingMessage: 'Enter the date of the evidence',
    notAfter: today,
  });
  if (!date.ok) errors.push({ text: date.message, href: `#date-${date.parts[0] ?? 'day'}` });

  const summary = checkText(input.summary, {
    label: 'Summary',
    maxLength: EVIDENCE_SUMMARY_MAX_LENGTH,
    missingMessage: 'Enter a summary of what the evidence shows',
  });
  if (!summary.ok) errors.push({ text: summary.message, href: '#summary' });

  if (errors.length > 0 || !isEvidenceKind(kind) || !date.ok || !summary.ok) {
    return { ok: false, errors, dateParts: date.ok ? [] : date.parts };
  }
  return { ok: true, details: { kind, evidenceDate: date.iso, summary: summary.text, snapshotId } };
}

function readSnapshotId(typed: string, offered: ReadonlySet<number>): number | null | 'invalid' {
  if (typed === '') return null;
  const id = /^[1-9]\d{0,9}$/.test(typed) ? Number(typed) : null;
  return id !== null && offered.has(id) ? id : 'invalid';
}

/** A file type evidence may carry, by the extension of its name. */
interface EvidenceFileType {
  mimeType: string;
  /** Checks the first bytes of the content, so a renamed program or web page is rejected. */
  matches: (content: Buffer) => boolean;
}

const startsWith =
  (...signature: number[]) =>
  (content: Buffer) =>
    content.length >= signature.length && signature.every((byte, index) => content[index] === byte);

const bytesOf = (text: string) => [...Buffer.from(text, 'latin1')];

// Office Open XML and OpenDocument files are ZIP archives, which begin `PK\x03\x04`. Office
// 97–2003 files are OLE compound documents, which begin D0 CF 11 E0 A1 B1 1A E1.
const isZip = startsWith(0x50, 0x4b, 0x03, 0x04);
const isOleDocument = startsWith(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);

/** Text has no NUL bytes in its first 8 KB, unlike the binary formats above. */
const isText = (content: Buffer) => !content.subarray(0, 8192).includes(0);

const isWebp = (content: Buffer) =>
  startsWith(...bytesOf('RIFF'))(content) &&
  content.subarray(8, 12).equals(Buffer.from('WEBP', 'latin1'));

const isGif = (content: Buffer) =>
  startsWith(...bytesOf('GIF87a'))(content) || startsWith(...bytesOf('GIF89a'))(content);

/**
 * Documents and images that schools commonly keep as evidence. Formats that can run script
 * when opened in a browser, such as HTML and SVG, are left out.
 */
export const EVIDENCE_FILE_TYPES: Readonly<Record<string, EvidenceFileType>> = {
  pdf: { mimeType: 'application/pdf', matches: startsWith(...bytesOf('%PDF-')) },
  docx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    matches: isZip,
  },
  xlsx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    matches: isZip,
  },
  pptx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    matches: isZip,
  },
  odt: { mimeType: 'application/vnd.oasis.opendocument.text', matches: isZip },
  ods: { mimeType: 'application/vnd.oasis.opendocument.spreadsheet', matches: isZip },
  odp: { mimeType: 'application/vnd.oasis.opendocument.presentation', matches: isZip },
  doc: { mimeType: 'application/msword', matches: isOleDocument },
  xls: { mimeType: 'application/vnd.ms-excel', matches: isOleDocument },
  ppt: { mimeType: 'application/vnd.ms-powerpoint', matches: isOleDocument },
  txt: { mimeType: 'text/plain', matches: isText },
  csv: { mimeType: 'text/csv', matches: isText },
  png: {
    mimeType: 'image/png',
    matches: startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  },
  jpg: { mimeType: 'image/jpeg', matches: startsWith(0xff, 0xd8, 0xff) },
  jpeg: { mimeType: 'image/jpeg', matches: startsWith(0xff, 0xd8, 0xff) },
  gif: { mimeType: 'image/gif', matches: isGif },
  webp: { mimeType: 'image/webp', matches: isWebp },
};

/** The extensions the file question lists, for its hint and its `accept` attribute. */
export const EVIDENCE_FILE_EXTENSIONS = Object.keys(EVIDENCE_FILE_TYPES);

export type EvidenceFileCheck =
  { ok: true; fileName: string; fileType: string } | { ok: false; message: string };

/**
 * Checks an uploaded evidence file: it must have content, an extension from
 * `EVIDENCE_FILE_TYPES`, and first bytes that match that extension. Returns the name to store,
 * made safe by `safeFileName`, and the MIME type that the extension names. The size limit is
 * enforced earlier, while the form is read.
 */
export function checkEvidenceFile(fileName: string, content: Buffer): EvidenceFileCheck {
  const name = safeFileName(fileName);
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const fileType = EVIDENCE_FILE_TYPES[extension];
  const allowed =
    'a PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG, JPEG, GIF or WebP file';

  if (content.length === 0) return { ok: false, message: 'The selected file is empty' };
  if (fileType === undefined) return { ok: false, message: `The selected file must be ${allowed}` };
  if (!fileType.matches(content)) {
    return {
      ok: false,
      message: `The selected file is not a real .${extension} file. Upload ${allowed}`,
    };
  }
  return { ok: true, fileName: name, fileType: fileType.mimeType };
}

/** Maximum length of a stored file name, in characters. A longer name is cut before its extension. */
export const MAX_FILE_NAME_LENGTH = 100;

/**
 * Returns a file name that is safe to store and to send back in a header: the last part of
 * any path the browser sent, without control characters or the characters Windows forbids in
 * names (`\ / : * ? " < > |`), with runs of spaces made one, at most `MAX_FILE_NAME_LENGTH`
 * characters with the extension kept, and `evidence` when nothing is left.
 */
export function safeFileName(fileName: string): string {
  const lastPart = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = lastPart
    .replace(/[\u0000-\u001f\u007f-\u009f:*?"<>|]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (cleaned === '') return 'evidence';
  if (cleaned.length <= MAX_FILE_NAME_LENGTH) return cleaned;

  const extension = /\.[a-z0-9]{1,10}$/i.exec(cleaned)?.[0] ?? '';
  return `${cleaned.slice(0, MAX_FILE_NAME_LENGTH - extension.length).trimEnd()}${extension}`;
}

/**
 * Builds a `Content-Disposition` header that makes the browser download the file under its
 * name: an ASCII fallback in `filename` and the full name in `filename*` (RFC 6266, with the
 * encoding of RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  const safe = safeFileName(fileName);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Formats a file size for people, in binary units: 1536 bytes is `1.5 KB`. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const kilobytes = bytes / 1024;
  if (kilobytes < 1024) return `${Number(kilobytes.toFixed(1))} KB`;
  return `${Number((kilobytes / 1024).toFixed(1))} MB`;
}

/**
 * Checks an XLSX file's zip structure before exceljs opens it, so that a zip bomb (a small file
 * that expands to gigabytes) or a file that is not a workbook is rejected with a clear message.
 * Record layouts follow the PKWARE "APPNOTE.TXT" ZIP file format specification.
 */
import { inflateRawSync } from 'node:zlib';
import { TabularFileError } from './table.js';

export interface ZipLimits {
  /** Most entries (files inside the zip) accepted. */
  maxEntries: number;
  /** Most bytes all entries may expand to, in total. */
  maxUncompressedBytes: number;
}

/**
 * Defaults sized from what a school's pupil export needs, with wide margins. A workbook that
 * exceljs 4.4 writes with 2,000 rows of 50 columns has 16 entries and expands to 4.3 MB.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const SIGNATURES = {
  endOfDirectory: 0x06054b50,
  directoryEntry: 0x02014b50,
  localHeader: 0x04034b50,
};
const END_OF_DIRECTORY_SIZE = 22;
const MAX_COMMENT_LENGTH = 0xffff;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

const NOT_A_WORKBOOK =
  'Save the list from your MIS or Excel as an Excel workbook (.xlsx) or as CSV UTF-8, and upload that.';

/** Returns true when `content` starts with a zip local file header ("PK\x03\x04"). */
export function looksLikeZip(content: Uint8Array): boolean {
  return (
    content.length >= 4 &&
    content[0] === 0x50 &&
    content[1] === 0x4b &&
    content[2] === 0x03 &&
    content[3] === 0x04
  );
}

/**
 * Checks that `content` is a zip containing an Excel workbook within `limits`. It checks the
 * declared entry count and sizes, rejects ZIP64, encryption and unusual compression, and
 * inflates every entry to check it is exactly its declared size. Inflation stops one byte past
 * that size, so an entry that lies about its size costs little.
 *
 * @throws TabularFileError naming what is wrong and what to upload instead.
 */
export function checkXlsxZip(content: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  if (!looksLikeZip(content)) {
    throw new TabularFileError(
      `The file is not an Excel workbook (.xlsx): it does not start like a zip archive. ${NOT_A_WORKBOOK}`,
    );
  }
  const entries = readDirectory(content, limits);
  checkWorkbookParts(entries);
  for (const entry of entries) {
    checkEntryExpansion(content, entry);
  }
  return entries;
}

function readDirectory(content: Buffer, limits: ZipLimits): ZipEntry[] {
  const end = findEndOfDirectory(content);
  const entryCount = content.readUInt16LE(end + 10);
  const directorySize = content.readUInt32LE(end + 12);
  const directoryOffset = content.readUInt32LE(end + 16);
  if (entryCount === 0xffff || directoryOffset === 0xffffffff) {
    throw new TabularFileError(
      `The workbook uses the ZIP64 format, which only very large files need. ${NOT_A_WORKBOOK}`,
    );
  }
  if (entryCount > limits.maxEntries) {
    throw new TabularFileError(
      `The workbook contains ${entryCount} files inside it, more than the ${limits.maxEntries} accepted. ${NOT_A_WORKBOOK}`,
    );
  }
  if (directoryOffset + directorySize > end) {
    throw damaged('its table of contents points past the end of the file');
  }

  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  let total = 0;
  for (let index = 0; index < entryCount; index += 1) {
    const entry = readDirectoryEntry(content, offset, end);
    total += entry.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      const megabytes = Math.round(limits.maxUncompressedBytes / (1024 * 1024));
      throw new TabularFileError(
        `The workbook would expand to more than ${megabytes} MB when opened, far more than a pupil list needs, so it was not opened. Remove other sheets and images, or save the list as CSV.`,
      );
    }
    const { nextOffset, ...fields } = entry;
    entries.push(fields);
    offset = nextOffset;
  }
  return entries;
}

function findEndOfDirectory(content: Buffer): number {
  const earliest = Math.max(0, content.length - END_OF_DIRECTORY_SIZE - MAX_COMMENT_LENGTH);
  for (let offset = content.length - END_OF_DIRECTORY_SIZE; offset >= earliest; offset -= 1) {
    if (content.readUInt32LE(offset) === SIGNATURES.endOfDirectory) {
      return offset;
    }
  }
  throw damaged('it has no zip table of contents, so it may have been cut short while copying');
}

function readDirectoryEntry(
  content: Buffer,
  offset: number,
  end: number,
): ZipEntry & { nextOffset: number } {
  if (offset + 46 > end || content.readUInt32LE(offset) !== SIGNATURES.directoryEntry) {
    throw damaged('its table of contents is broken');
  }
  const flags = content.readUInt16LE(offset + 8);
  const method = content.readUInt16LE(offset + 10);
  const compressedSize = content.readUInt32LE(offset + 20);
  const uncompressedSize = content.readUInt32LE(offset + 24);
  const nameLength = content.readUInt16LE(offset + 28);
  const extraLength = content.readUInt16LE(offset + 30);
  const commentLength = content.readUInt16LE(offset + 32);
  const localHeaderOffset = content.readUInt32LE(offset + 42);
  const name = content.toString('utf8', offset + 46, offset + 46 + nameLength).replace(/^\//, '');

  const encrypted = (flags & 0x1) !== 0;
  if (encrypted) {
    throw new TabularFileError(
      'The workbook is password-protected. Remove the password in Excel (File, Info, Protect Workbook), save it, and upload it again.',
    );
  }
  if (
    compressedSize === 0xffffffff ||
    uncompressedSize === 0xffffffff ||
    localHeaderOffset === 0xffffffff
  ) {
    throw new TabularFileError(
      `The workbook uses the ZIP64 format, which only very large files need. ${NOT_A_WORKBOOK}`,
    );
  }
  if (method !== METHOD_STORED && method !== METHOD_DEFLATED) {
    throw damaged(
      `"${name}" inside it uses compression method ${method}, which Excel does not write`,
    );
  }
  return {
    name,
    method,
    compressedSize,
    uncompressedSize,
    localHeaderOffset,
    nextOffset: offset + 46 + nameLength + extraLength + commentLength,
  };
}

/** Rejects zips that are not Excel workbooks, naming what they look like when that is clear. */
function checkWorkbookParts(entries: ZipEntry[]): void {
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) {
    return;
  }
  if (names.has('word/document.xml')) {
    throw new TabularFileError(
      `The file is a Word document, not an Excel workbook. ${NOT_A_WORKBOOK}`,
    );
  }
  if (names.has('content.xml') && names.has('mimetype')) {
    throw new TabularFileError(
      `The file is an OpenDocument file (for example from LibreOffice), not an Excel workbook. ${NOT_A_WORKBOOK}`,
    );
  }
  throw new TabularFileError(
    `The file is a zip archive but not an Excel workbook (.xlsx). ${NOT_A_WORKBOOK}`,
  );
}

/** Inflates one entry, stopping one byte past its declared size, and checks the size matches. */
function checkEntryExpansion(content: Buffer, entry: ZipEntry): void {
  const header = entry.localHeaderOffset;
  if (header + 30 > content.length || content.readUInt32LE(header) !== SIGNATURES.localHeader) {
    throw damaged(`the entry "${entry.name}" is missing`);
  }
  const dataStart =
    header + 30 + content.readUInt16LE(header + 26) + content.readUInt16LE(header + 28);
  const data = content.subarray(dataStart, dataStart + entry.compressedSize);
  if (data.length !== entry.compressedSize) {
    throw damaged(`the entry "${entry.name}" is cut short`);
  }
  if (entry.method === METHOD_STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw damaged(`the sizes of "${entry.name}" do not agree`);
    }
    return;
  }

  let inflated: Buffer;
  try {
    inflated = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new TabularFileError(
        `"${entry.name}" inside the workbook expands to more than the ${entry.uncompressedSize} bytes its header declares, which is how zip bombs work, so the file was not opened. Save the list again from Excel or your MIS.`,
      );
    }
    throw damaged(`"${entry.name}" inside it cannot be decompressed`);
  }
  if (inflated.length !== entry.uncompressedSize) {
    throw damaged(
      `"${entry.name}" inside it is ${inflated.length} bytes, not the ${entry.uncompressedSize} its header declares`,
    );
  }
}

function damaged(reason: string): TabularFileError {
  return new TabularFileError(
    `The workbook is damaged: ${reason}. Save it again from Excel or your MIS and upload the new file.`,
  );
}

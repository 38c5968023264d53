/**
 * Text encoding detection for uploaded files. School systems export UTF-8 (with or without a
 * byte order mark), UTF-16 with a byte order mark (Excel's "Unicode text"), or Windows-1252
 * (Excel's plain "CSV" on Windows), so those are the encodings read here.
 */
import iconv from 'iconv-lite';

export type TextEncodingName =
  'UTF-8' | 'UTF-8 with BOM' | 'UTF-16 LE' | 'UTF-16 BE' | 'Windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

const BYTE_ORDER_MARKS: { bytes: number[]; encoding: TextEncodingName }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8 with BOM' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16 LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16 BE' },
];

/** Returns the encoding that a byte order mark at the start of `content` names, or null. */
export function detectByteOrderMark(
  content: Uint8Array,
): { encoding: TextEncodingName; length: number } | null {
  for (const mark of BYTE_ORDER_MARKS) {
    if (mark.bytes.every((byte, index) => content[index] === byte)) {
      return { encoding: mark.encoding, length: mark.bytes.length };
    }
  }
  return null;
}

/**
 * Decodes `content` as UTF-8 and returns null when it contains a byte sequence that is not
 * valid UTF-8. A leading byte order mark is kept in the text.
 */
export function decodeStrictUtf8(content: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch (error) {
    if (error instanceof TypeError) {
      return null;
    }
    throw error;
  }
}

/**
 * Finds the 1-based line of the first byte sequence that is not valid UTF-8, for messages.
 * Returns null when every sequence is valid.
 */
export function findInvalidUtf8Line(content: Uint8Array): number | null {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(content);
  const index = text.indexOf('\uFFFD');
  if (index < 0) {
    return null;
  }
  return text.slice(0, index).split('\n').length;
}

export type TextDecoding = ({ ok: true } & DecodedText) | { ok: false; message: string };

/**
 * Decodes a text file: the encoding a byte order mark names, else UTF-8 when every byte
 * sequence is valid UTF-8, else Windows-1252. The byte order mark is removed from the text,
 * and the returned encoding names the one read so the user can check accented names.
 * Fails, with a message naming the line, when a file marked as UTF-8 contains invalid bytes,
 * and when a UTF-16 file has an odd number of bytes, because either means it is damaged.
 */
export function decodeTextFile(content: Uint8Array): TextDecoding {
  const mark = detectByteOrderMark(content);
  const body = content.subarray(mark?.length ?? 0);

  if (mark?.encoding === 'UTF-16 LE' || mark?.encoding === 'UTF-16 BE') {
    if (body.length % 2 !== 0) {
      return {
        ok: false,
        message: `The file starts with a ${mark.encoding} byte order mark but has an odd number of bytes, so it is damaged. Export it again.`,
      };
    }
    const iconvName = mark.encoding === 'UTF-16 LE' ? 'utf16le' : 'utf16be';
    return {
      ok: true,
      text: iconv.decode(Buffer.from(body), iconvName, { stripBOM: false }),
      encoding: mark.encoding,
    };
  }

  const utf8 = decodeStrictUtf8(body);
  if (utf8 !== null) {
    return { ok: true, text: utf8, encoding: mark === null ? 'UTF-8' : 'UTF-8 with BOM' };
  }
  if (mark !== null) {
    const line = findInvalidUtf8Line(body) ?? 1;
    return {
      ok: false,
      message: `The file starts with a UTF-8 byte order mark, but line ${line} contains bytes that are not valid UTF-8. Save the file again as "CSV UTF-8".`,
    };
  }
  return { ok: true, text: iconv.decode(Buffer.from(body), 'win1252'), encoding: 'Windows-1252' };
}

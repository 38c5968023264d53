/**
 * Decodes the bytes of an XML file to text following the rules for character encoding in
 * W3C XML 1.0, appendix F. A byte order mark decides first, then the `encoding` named in the
 * XML declaration, and UTF-8 applies when neither is present.
 */
import iconv from 'iconv-lite';
import { decodeStrictUtf8, detectByteOrderMark, findInvalidUtf8Line } from '../tabular/encoding.js';

export type XmlDecoding =
  { ok: true; text: string; encoding: string } | { ok: false; message: string };

/** How many bytes at the start are searched for the XML declaration. */
const DECLARATION_SEARCH_BYTES = 200;

/**
 * Decodes an XML file. Fails with a message naming the line when UTF-8 bytes are invalid, or
 * naming the encoding when the declaration names one this app cannot read.
 */
export function decodeXmlBytes(content: Buffer): XmlDecoding {
  const mark = detectByteOrderMark(content);
  if (mark !== null && mark.encoding !== 'UTF-8 with BOM') {
    const body = content.subarray(mark.length);
    if (body.length % 2 !== 0) {
      return {
        ok: false,
        message: `The file starts with a ${mark.encoding} byte order mark but has an odd number of bytes, so it is damaged. Export it again.`,
      };
    }
    return {
      ok: true,
      text: iconv.decode(body, mark.encoding === 'UTF-16 LE' ? 'utf16le' : 'utf16be'),
      encoding: mark.encoding,
    };
  }

  const body = content.subarray(mark?.length ?? 0);
  const declared = readDeclaredEncoding(body);
  if (declared === null || /^utf-?8$/i.test(declared)) {
    return decodeUtf8(body);
  }
  if (/^utf-?16/i.test(declared)) {
    return {
      ok: false,
      message: `The XML declaration names the encoding ${declared}, but the file has no byte order mark to give the byte order. Export it again as UTF-8.`,
    };
  }
  if (!iconv.encodingExists(declared)) {
    return {
      ok: false,
      message: `The XML declaration names the encoding "${declared}", which this app cannot read. Export the file again as UTF-8.`,
    };
  }
  return { ok: true, text: iconv.decode(body, declared), encoding: declared };
}

function decodeUtf8(body: Buffer): XmlDecoding {
  const text = decodeStrictUtf8(body);
  if (text === null) {
    const line = findInvalidUtf8Line(body) ?? 1;
    return {
      ok: false,
      message: `Line ${line} contains bytes that are not valid UTF-8, the encoding this XML file declares or defaults to. Export the file again from your MIS without editing it.`,
    };
  }
  return { ok: true, text, encoding: 'UTF-8' };
}

/** Reads `encoding="…"` from an XML declaration written in ASCII-compatible bytes, or returns null. */
function readDeclaredEncoding(body: Buffer): string | null {
  const start = body.toString('latin1', 0, Math.min(body.length, DECLARATION_SEARCH_BYTES));
  const match = /^<\?xml\s[^?]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(start);
  return match?.[1] ?? null;
}

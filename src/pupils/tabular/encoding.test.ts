import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeTextFile } from './encoding.js';

const TEXT = "UPN,Surname\nX801400121001,O'Brien Zoë\n";

describe('decodeTextFile', () => {
  it.each([
    { name: 'UTF-8', bytes: Buffer.from(TEXT, 'utf8'), encoding: 'UTF-8' },
    {
      name: 'UTF-8 with BOM',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]),
      encoding: 'UTF-8 with BOM',
    },
    {
      name: 'UTF-16 LE',
      bytes: iconv.encode(TEXT, 'utf16le', { addBOM: true }),
      encoding: 'UTF-16 LE',
    },
    {
      name: 'UTF-16 BE',
      bytes: iconv.encode(TEXT, 'utf16be', { addBOM: true }),
      encoding: 'UTF-16 BE',
    },
    { name: 'Windows-1252', bytes: iconv.encode(TEXT, 'win1252'), encoding: 'Windows-1252' },
  ])('reads $name', ({ bytes, encoding }) => {
    expect(decodeTextFile(bytes)).toEqual({ ok: true, text: TEXT, encoding });
  });

  it('reads Windows-1252 curly quotes', () => {
    const decoded = decodeTextFile(Buffer.from([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e]));
    expect(decoded).toEqual({ ok: true, text: 'O\u2019Brien', encoding: 'Windows-1252' });
  });

  it('rejects invalid bytes after a UTF-8 BOM', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('a\nb\n'),
      Buffer.from([0xeb, 0x0a]),
    ]);
    const decoded = decodeTextFile(bytes);
    expect(decoded.ok).toBe(false);
    expect(decoded).toMatchObject({ ok: false, message: expect.stringContaining('line 3') });
  });

  it('rejects UTF-16 with an odd byte count', () => {
    expect(decodeTextFile(Buffer.from([0xff, 0xfe, 0x41])).ok).toBe(false);
  });
});

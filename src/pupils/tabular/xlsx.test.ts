import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ImportProblem, ParsedImport } from '../model.js';
import { parseXlsx } from './xlsx.js';

const OPTIONS = { academicYear: 2024 };

function errors(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'error');
}

async function workbookBuffer(fill: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface ZipPart {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated. */
  method?: number;
  /** Uncompressed size written in the headers; defaults to the true size. */
  declaredSize?: number;
  flags?: number;
}

/** Writes a minimal zip archive (PKWARE APPNOTE layout) whose headers can lie about sizes. CRCs are left 0. */
function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const method = part.method ?? 8;
    const stored = method === 8 ? deflateRawSync(part.data) : part.data;
    const name = Buffer.from(part.name, 'utf8');
    const size = part.declaredSize ?? part.data.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, stored);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK_PARTS: ZipPart[] = [
  { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
];

describe('parseXlsx with a real workbook', () => {
  it('reads typed cells from the first worksheet', async () => {
    const content = await workbookBuffer((workbook) => {
      const sheet = workbook.addWorksheet('Pupils');
      sheet.addRow([
        'UPN',
        'Surname',
        'Forename',
        'DOB',
        'Year',
        'FSM',
        'Possible',
        'Attended',
        'Authorised',
        'Unauthorised',
      ]);
      sheet.addRow([
        'X801400121001',
        { richText: [{ text: 'Smith, ' }, { text: 'Jr', font: { bold: true } }] },
        'Zoë',
        new Date(Date.UTC(2012, 8, 5)),
        7,
        true,
        320,
        { formula: 'G2-I2-J2', result: 300 },
        15,
        5,
      ]);
      sheet.addRow(['L801400121002', "O'Brien", 'Seán', 41319, 'Year 7', 'N', 320, 280, 20, 20]);
      workbook.addWorksheet('Notes').addRow(['Ignore me']);
    });

    const parsed = await parseXlsx('pupils.xlsx', content, OPTIONS);
    expect(errors(parsed)).toEqual([]);
    expect(parsed.format).toBe('xlsx');
    expect(parsed.pupils).toHaveLength(2);
    expect(parsed.pupils[0]).toMatchObject({
      legalSurname: 'Smith, Jr',
      legalForename: 'Zoë',
      dateOfBirth: '2012-09-05',
      ncYear: '7',
      reported: { fsmNow: true },
      location: 'row 2',
    });
    expect(parsed.pupils[0]?.attendance[0]).toMatchObject({
      possible: 320,
      attended: 300,
      authorised: 15,
      unauthorised: 5,
    });
    expect(parsed.pupils[1]).toMatchObject({
      legalSurname: "O'Brien",
      dateOfBirth: '2013-02-14',
      ncYear: '7',
      reported: { fsmNow: false },
    });
    expect(parsed.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('Only the first worksheet, "Pupils", was read'),
    ]);
  });

  it('numbers rows as the worksheet does', async () => {
    const content = await workbookBuffer((workbook) => {
      const sheet = workbook.addWorksheet('Pupils');
      sheet.getCell('A1').value = 'Year 7 pupils';
      sheet.getRow(3).values = ['UPN', 'Surname', 'Forename', 'DOB'];
      sheet.getRow(5).values = ['X801400121001', 'Smith', 'Amelia', '31/02/2024'];
    });

    const parsed = await parseXlsx('pupils.xlsx', content, OPTIONS);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({
      file: 'pupils.xlsx',
      location: 'row 5',
      field: 'DOB',
      value: '31/02/2024',
    });
    expect(errors(parsed)[0]?.message).toContain('February 2024 has 29 days');
  });

  it.each([
    { header: 'Possible', value: 320.5, text: '320.5 is not a whole number' },
    { header: 'DOB', value: -3, text: 'is a number, not a date' },
    { header: 'Sex', value: 'U', text: 'Use M or F' },
  ])('$header $value is an error', async ({ header, value, text }) => {
    const headers = [
      'UPN',
      'Surname',
      'Forename',
      'DOB',
      'Sex',
      'Possible',
      'Attended',
      'Authorised',
      'Unauthorised',
    ];
    const row: (string | number | Date)[] = [
      'X801400121001',
      'Smith',
      'Amelia',
      new Date(Date.UTC(2012, 8, 5)),
      'F',
      320,
      300,
      15,
      5,
    ];
    row[headers.indexOf(header)] = value;
    const content = await workbookBuffer((workbook) => {
      const sheet = workbook.addWorksheet('Pupils');
      sheet.addRow(headers);
      sheet.addRow(row);
    });
    const parsed = await parseXlsx('pupils.xlsx', content, OPTIONS);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({
      file: 'pupils.xlsx',
      location: 'row 2',
      field: header,
      value: String(value),
    });
    expect(errors(parsed)[0]?.message).toContain(text);
  });
});

describe('parseXlsx rejects unsafe or wrong files', () => {
  it('rejects an entry that expands past its declared size', async () => {
    const bomb = buildZip([
      ...WORKBOOK_PARTS,
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.alloc(20 * 1024 * 1024),
        declaredSize: 1000,
      },
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    const parsed = await parseXlsx('bomb.xlsx', bomb, OPTIONS);
    expect(parsed.pupils).toEqual([]);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]?.message).toContain(
      'expands to more than the 1000 bytes its header declares',
    );
  });

  it('rejects declared sizes over the limit before inflating', async () => {
    const parts = [
      ...WORKBOOK_PARTS,
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 0xfffffff0 },
    ];
    const parsed = await parseXlsx('huge.xlsx', buildZip(parts), OPTIONS);
    expect(errors(parsed)[0]?.message).toContain('would expand to more than 200 MB');
  });

  it('rejects too many entries', async () => {
    const parts = Array.from({ length: 1001 }, (_, index) => ({
      name: `xl/media/${index}.bin`,
      data: Buffer.from('x'),
      method: 0,
    }));
    const parsed = await parseXlsx('many.xlsx', buildZip(parts), OPTIONS);
    expect(errors(parsed)[0]?.message).toContain(
      'contains 1001 files inside it, more than the 1000 accepted',
    );
  });

  it.each([
    {
      name: 'CSV renamed .xlsx',
      bytes: Buffer.from('UPN,Surname\nX801400121001,Smith\n'),
      text: 'does not start like a zip archive',
    },
    {
      name: 'a Word document',
      bytes: buildZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: Buffer.from('<w/>') },
      ]),
      text: 'is a Word document',
    },
    {
      name: 'a plain zip',
      bytes: buildZip([{ name: 'pupils.csv', data: Buffer.from('UPN') }]),
      text: 'a zip archive but not an Excel workbook',
    },
    {
      name: 'an encrypted zip',
      bytes: buildZip([...WORKBOOK_PARTS.map((part) => ({ ...part, flags: 1 }))]),
      text: 'password-protected',
    },
  ])('rejects $name', async ({ bytes, text }) => {
    const parsed = await parseXlsx('pupils.xlsx', bytes, OPTIONS);
    expect(parsed.pupils).toEqual([]);
    expect(parsed.columns).toBeNull();
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({ file: 'pupils.xlsx', location: 'whole file' });
    expect(errors(parsed)[0]?.message).toContain(text);
  });

  it('rejects a workbook cut short', async () => {
    const content = await workbookBuffer((workbook) =>
      workbook.addWorksheet('Pupils').addRow(['UPN']),
    );
    const parsed = await parseXlsx(
      'cut.xlsx',
      content.subarray(0, Math.floor(content.length / 2)),
      OPTIONS,
    );
    expect(errors(parsed)[0]?.message).toContain('The workbook is damaged');
  });
});

/**
 * Excel workbooks (.xlsx) of pupils or exclusions. Only the first worksheet is read.
 */
import ExcelJS from 'exceljs';
import type { ParsedImport } from '../model.js';
import { parseTable, unreadableTable, type TabularOptions } from './parse-tabular.js';
import { TabularFileError, type CellValue, type Table, type TableRow } from './table.js';
import { checkXlsxZip, type ZipLimits } from './zip-guard.js';

/**
 * Reads the first worksheet of a workbook into rows, after `checkXlsxZip` has checked the zip.
 * Formula cells give their last calculated result; rich text gives its plain text.
 *
 * @throws TabularFileError when the file is not a workbook, breaks the zip limits, or exceljs
 *   cannot open it.
 */
export async function readXlsxTable(content: Buffer, zipLimits?: ZipLimits): Promise<Table> {
  checkXlsxZip(content, zipLimits);

  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs 4.4 types its input as its own `Buffer` interface (an ArrayBuffer), which Node's Buffer type does not match.
    await workbook.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TabularFileError(
      `The workbook could not be opened (${reason}). Save it again from Excel or your MIS as .xlsx, or save the list as CSV.`,
    );
  }

  const sheets = workbook.worksheets;
  const sheet = sheets[0];
  if (sheet === undefined) {
    throw new TabularFileError(
      'The workbook has no worksheets. Save the pupil list into the first worksheet and upload it again.',
    );
  }
  const notes =
    sheets.length > 1
      ? [
          `Only the first worksheet, "${sheet.name}", was read; the workbook has ${sheets.length}. Put the pupil list in the first worksheet if it is elsewhere.`,
        ]
      : [];
  return { rows: readSheetRows(sheet), date1904: workbook.properties.date1904 === true, notes };
}

/** Parses an XLSX file into a `ParsedImport`; see `parseTable` for what the result contains. */
export async function parseXlsx(
  fileName: string,
  content: Buffer,
  options: TabularOptions,
  zipLimits?: ZipLimits,
): Promise<ParsedImport> {
  let table: Table;
  try {
    table = await readXlsxTable(content, zipLimits);
  } catch (error) {
    if (error instanceof TabularFileError) {
      return unreadableTable(fileName, 'xlsx', error.message);
    }
    throw error;
  }
  return parseTable(fileName, 'xlsx', table, options);
}

function readSheetRows(sheet: ExcelJS.Worksheet): TableRow[] {
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      cells[columnNumber - 1] = toCellValue(cell.value);
    });
    for (let index = 0; index < cells.length; index += 1) {
      cells[index] ??= null;
    }
    rows.push({ rowNumber, cells });
  });
  return rows;
}

/** Converts an exceljs cell value to a plain value; an error cell becomes its text, such as "#N/A". */
function toCellValue(value: ExcelJS.CellValue | undefined): CellValue {
  if (value === null || value === undefined) {
    return null;
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  ) {
    return value;
  }
  if ('richText' in value) {
    return value.richText.map((run) => run.text).join('');
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return toCellValue(value.result as ExcelJS.CellValue | undefined);
  }
  if ('error' in value) {
    return value.error;
  }
  if ('text' in value) {
    return typeof value.text === 'string'
      ? value.text
      : toCellValue(value.text as ExcelJS.CellValue);
  }
  return null;
}

/**
 * The shape CSV and XLSX files are read into before their rows become pupils: rows of cells,
 * each row numbered as a spreadsheet program numbers it, so messages point at the right row.
 */
import { isoDateFromUtc } from './uk-date.js';

/** One cell: text from a CSV; text, number, true/false or a date from an XLSX; null when empty. */
export type CellValue = string | number | boolean | Date | null;

export interface TableRow {
  /** 1-based row number: the record's position in a CSV, or the worksheet row in an XLSX. */
  rowNumber: number;
  cells: CellValue[];
}

export interface Table {
  rows: TableRow[];
  /** True when an XLSX workbook counts dates from 1904 (Excel for Mac before 2011). */
  date1904: boolean;
  /** Warnings about the whole file, such as a worksheet that was not read. */
  notes: string[];
}

/**
 * Raised by the CSV and XLSX readers when a file cannot be read at all. The message is written
 * for the user (what is wrong and how to fix it); the parsers turn it into an `ImportProblem`.
 */
export class TabularFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TabularFileError';
  }
}

/** Returns a cell as text, as a user would see it, or null when it is empty. Spaces are kept. */
export function cellText(cell: CellValue | undefined): string | null {
  if (cell === null || cell === undefined) {
    return null;
  }
  if (cell instanceof Date) {
    return isoDateFromUtc(cell);
  }
  if (typeof cell === 'boolean') {
    return cell ? 'TRUE' : 'FALSE';
  }
  const text = String(cell);
  return text === '' ? null : text;
}

export function isBlankRow(row: TableRow): boolean {
  return row.cells.every((cell) => {
    const text = cellText(cell);
    return text === null || text.trim() === '';
  });
}

/**
 * CSV writer following RFC 4180, safe to open in a spreadsheet.
 *
 * Records end in CRLF. A field is enclosed in double quotes when it contains a comma, a double
 * quote, CR or LF, and a double quote inside it is doubled.
 *
 * Formula injection: spreadsheets run a text cell that begins with `=`, `+`, `-` or `@` as a
 * formula, and some also treat a leading tab or carriage return that way. Such a string cell is
 * written with a leading apostrophe, which spreadsheets show as text. The rule looks only at the
 * TypeScript type: every string is checked, including one that reads as a negative number such
 * as "-3", because text typed by a user is untrusted whatever it looks like. A value passed as a
 * `number` is written as its decimal form and never prefixed, because the writer itself produced
 * those characters, so a gap of -0.25 stays a number in the spreadsheet.
 */

/** One field: text, a number, a boolean, or an empty field for null and undefined. */
export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /**
   * Starts the output with a UTF-8 byte order mark (U+FEFF), so that Excel reads accented names
   * as UTF-8 rather than the Windows code page. Off by default.
   */
  byteOrderMark?: boolean;
}

const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Writes rows as CSV text, every record (the last one too) ending in CRLF.
 * Throws a RangeError for a number that is NaN or infinite, naming its row and column.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const records = rows.map((row, rowIndex) =>
    row.map((cell, columnIndex) => formatCsvField(cell, rowIndex, columnIndex)).join(','),
  );
  const body = records.map((record) => `${record}\r\n`).join('');
  return options.byteOrderMark === true ? BYTE_ORDER_MARK + body : body;
}

/**
 * Writes one field as it appears in a CSV record: neutralised against formulas, then quoted
 * when it needs quotes. Throws a RangeError for a number that is NaN or infinite.
 */
export function formatCsvField(cell: CsvCell, rowIndex = 0, columnIndex = 0): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) {
      throw new RangeError(
        `CSV cell at row ${rowIndex + 1}, column ${columnIndex + 1} is not a finite number: ${cell}`,
      );
    }
    return String(cell);
  }
  if (typeof cell === 'boolean') {
    return cell ? 'TRUE' : 'FALSE';
  }
  return quoteIfNeeded(neutraliseFormula(cell));
}

/** Prefixes an apostrophe to text that a spreadsheet would otherwise run as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

function quoteIfNeeded(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

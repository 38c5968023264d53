/**
 * CSV pupil and exclusion files, as MIS exports and Excel's "Save as CSV" write them.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { ParsedImport } from '../model.js';
import { decodeTextFile, type TextEncodingName } from './encoding.js';
import { parseTable, unreadableTable, type TabularOptions } from './parse-tabular.js';
import { TabularFileError, type Table } from './table.js';

/** Delimiters a CSV export may use: comma, tab (Excel's "Unicode text") and semicolon (European Excel). */
const DELIMITERS = [',', '\t', ';'] as const;

/**
 * Reads a CSV file: decodes it (see `decodeTextFile`), picks the delimiter from the header line,
 * and parses quoted fields. Row numbers count records from 1, as a spreadsheet shows them, so a
 * quoted field with a line break does not shift them. Spaces inside cells are kept.
 *
 * @throws TabularFileError when the bytes are not text or the CSV cannot be parsed; the message
 *   names the line and the fix.
 */
export function readCsvTable(content: Buffer): { table: Table; encoding: TextEncodingName } {
  const decoded = decodeTextFile(content);
  if (!decoded.ok) {
    throw new TabularFileError(decoded.message);
  }
  const { text, encoding } = decoded;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new TabularFileError(
      `Line ${line} contains a NUL character, so this is not a CSV text file (it may be a spreadsheet, a PDF or UTF-16 text without a byte order mark). Save the list as CSV UTF-8 or as an Excel workbook (.xlsx).`,
    );
  }

  const records = parseCsvText(text, detectDelimiter(text));
  const notes = encoding === 'Windows-1252' ? [WINDOWS_1252_NOTE] : [];
  const rows = records.map((cells, index) => ({
    rowNumber: index + 1,
    cells: cells.map((cell) => (cell === '' ? null : cell)),
  }));
  return { table: { rows, date1904: false, notes }, encoding };
}

const WINDOWS_1252_NOTE =
  'The file is not UTF-8, so it was read as Windows-1252, the encoding Excel uses for CSV on Windows. Check that accented names (such as Zoë) look right; if they do not, save the file as "CSV UTF-8" and upload it again.';

/** Parses a CSV file into a `ParsedImport`; see `parseTable` for what the result contains. */
export function parseCsv(fileName: string, content: Buffer, options: TabularOptions): ParsedImport {
  let read: ReturnType<typeof readCsvTable>;
  try {
    read = readCsvTable(content);
  } catch (error) {
    if (error instanceof TabularFileError) {
      return unreadableTable(fileName, 'csv', error.message);
    }
    throw error;
  }
  return parseTable(fileName, 'csv', read.table, options, read.encoding);
}

/** Picks the delimiter that occurs most often, outside quotes, on the first line; comma when none does. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const character of text) {
    if (character === '"') {
      quoted = !quoted;
    } else if (!quoted && (character === '\n' || character === '\r')) {
      break;
    } else if (!quoted && counts.has(character)) {
      counts.set(character, (counts.get(character) ?? 0) + 1);
    }
  }
  let best: string = ',';
  for (const [delimiter, count] of counts) {
    if (count > (counts.get(best) ?? 0)) {
      best = delimiter;
    }
  }
  return best;
}

function parseCsvText(text: string, delimiter: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new TabularFileError(describeCsvError(error));
    }
    throw error;
  }
}

function describeCsvError(error: CsvError): string {
  const line = typeof error.lines === 'number' ? `line ${error.lines}` : 'a line';
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `A quoted value that starts on or before ${line} is never closed, so the rest of the file cannot be read. Check for a stray " in a name or note, and save the file again from your MIS.`;
  }
  return `The CSV text could not be read at ${line} (${error.message}). Save the file again from your MIS as CSV.`;
}

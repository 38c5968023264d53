/**
 * Reads typed values from one row of a CSV or XLSX table through the column mapping. Every
 * value that cannot be read becomes an error naming the row, the column, the value and the fix,
 * and the field is left empty (null) rather than guessed.
 */
import { readFlag, readWholeNumber, type ProblemList, type Reading } from '../validate-pupils.js';
import type { ResolvedColumns, TabularField } from './columns.js';
import { cellText, type CellValue, type TableRow } from './table.js';
import { isoDateFromUtc, parseExcelSerialDate, parseUkDate, type DateReading } from './uk-date.js';

/**
 * Counts, per column or element, the values that had spaces before or after them. The readers
 * remove those spaces, since they carry no meaning in a code, date or name, and report them
 * once per column or element.
 */
export class WhitespaceTally {
  private readonly counts = new Map<string, { count: number; firstLocation: string }>();

  /** @param noun what the tallied names are, for messages: `column` or `element`. */
  constructor(private readonly noun: 'column' | 'element' = 'column') {}

  record(header: string, location: string): void {
    const entry = this.counts.get(header);
    if (entry === undefined) {
      this.counts.set(header, { count: 1, firstLocation: location });
    } else {
      entry.count += 1;
    }
  }

  /** Adds one warning per column that had such values. */
  report(problems: ProblemList): void {
    for (const [header, { count, firstLocation }] of this.counts) {
      const values = count === 1 ? '1 value' : `${count} values`;
      problems.warning(
        { location: firstLocation, field: header, value: null },
        `${values} in this ${this.noun} had spaces before or after the text (the first at ${firstLocation}). The spaces were removed; remove them in your MIS if they matter.`,
      );
    }
  }
}

export class RowReader {
  readonly location: string;
  private readonly texts = new Map<TabularField, string | null>();

  constructor(
    readonly row: TableRow,
    private readonly columns: ResolvedColumns,
    private readonly problems: ProblemList,
    private readonly whitespace: WhitespaceTally,
    private readonly date1904: boolean,
  ) {
    this.location = `row ${row.rowNumber}`;
  }

  /** True when a column is mapped to the field. */
  has(field: TabularField): boolean {
    return this.columns.columnOfField.has(field);
  }

  header(field: TabularField): string {
    return this.columns.headerOfField.get(field) ?? field;
  }

  cell(field: TabularField): CellValue {
    const column = this.columns.columnOfField.get(field);
    return column === undefined ? null : (this.row.cells[column] ?? null);
  }

  /** Returns the cell as text without surrounding spaces, or null when it is empty or unmapped. */
  text(field: TabularField): string | null {
    if (this.texts.has(field)) {
      return this.texts.get(field) ?? null;
    }
    const text = this.trimCell(field);
    this.texts.set(field, text);
    return text;
  }

  private trimCell(field: TabularField): string | null {
    const raw = cellText(this.cell(field));
    if (raw === null) {
      return null;
    }
    const trimmed = raw.trim();
    if (trimmed !== raw && trimmed !== '') {
      this.whitespace.record(this.header(field), this.location);
    }
    return trimmed === '' ? null : trimmed;
  }

  /** Reads a non-empty cell with `read`, recording its error or warning; null when empty or invalid. */
  read<T>(field: TabularField, read: (text: string) => Reading<T>): T | null {
    const text = this.text(field);
    if (text === null) {
      return null;
    }
    const reading = read(text);
    if (!reading.ok) {
      this.error(field, text, reading.message);
      return null;
    }
    if (reading.warning !== undefined) {
      this.problems.warning(this.place(field, text), reading.warning);
    }
    return reading.value;
  }

  flag(field: TabularField): boolean | null {
    const cell = this.cell(field);
    if (typeof cell === 'boolean') {
      return cell;
    }
    return this.read(field, readFlag);
  }

  /** Reads a date cell: an XLSX date, an Excel serial number, or text in a UK date form. */
  date(field: TabularField): string | null {
    const cell = this.cell(field);
    if (cell instanceof Date) {
      return isoDateFromUtc(cell);
    }
    if (typeof cell === 'number') {
      return this.read(field, () => toReading(parseExcelSerialDate(cell, this.date1904)));
    }
    return this.read(field, (text) => toReading(parseUkDate(text)));
  }

  wholeNumber(field: TabularField): number | null {
    const cell = this.cell(field);
    if (typeof cell === 'number' && !Number.isInteger(cell)) {
      this.error(
        field,
        String(cell),
        `${cell} is not a whole number. Enter a count of half-day sessions, for example 312.`,
      );
      return null;
    }
    return this.read(field, readWholeNumber);
  }

  error(field: TabularField, value: string, detail: string): void {
    this.problems.error(this.place(field, value), detail);
  }

  warning(field: TabularField, value: string | null, detail: string): void {
    this.problems.warning(this.place(field, value), detail);
  }

  private place(
    field: TabularField,
    value: string | null,
  ): { location: string; field: string; value: string | null } {
    return { location: this.location, field: this.header(field), value };
  }
}

function toReading(reading: DateReading): Reading<string> {
  return reading.ok ? { ok: true, value: reading.iso } : reading;
}

/**
 * Date reading for import files. Dates come out as ISO strings (`YYYY-MM-DD`); day-first
 * orders are read the UK way, so 05/09/2012 is 5 September 2012.
 */

export type DateReading = { ok: true; iso: string } | { ok: false; message: string };

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const UK_DATE_HINT =
  'Enter the date as day/month/year with a four-digit year, for example 05/09/2012.';

/** A midnight time that spreadsheet and database exports often append to a date. */
const MIDNIGHT_SUFFIX = /(?:[ T]00:00(?::00(?:\.0+)?)?Z?)$/;

/** Returns the number of days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Formats the UTC calendar date of `date`, which is how exceljs represents date cells. */
export function isoDateFromUtc(date: Date): string {
  return formatIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * Reads a strict `YYYY-MM-DD` date, the form the Common Transfer File uses. Returns a
 * message naming the value when the text has another form or names a day that does not
 * exist, such as 2024-02-30.
 */
export function parseIsoDate(text: string): DateReading {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) {
    return {
      ok: false,
      message: `"${text}" is not a date in the form YYYY-MM-DD, for example 2012-09-05.`,
    };
  }
  return checkDayExists(text, Number(match[1]), Number(match[2]), Number(match[3]), 'YYYY-MM-DD');
}

/**
 * Reads a date as UK school systems export it: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
 * dd.mm.yyyy or yyyy-mm-dd, optionally followed by a midnight time (` 00:00:00`).
 * Two-digit years are rejected because their century is a guess.
 */
export function parseUkDate(text: string): DateReading {
  const withoutTime = text.replace(MIDNIGHT_SUFFIX, '');

  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(withoutTime);
  if (isoMatch !== null) {
    return checkDayExists(
      text,
      Number(isoMatch[1]),
      Number(isoMatch[2]),
      Number(isoMatch[3]),
      'YYYY-MM-DD',
    );
  }

  const dayFirstMatch = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$/.exec(withoutTime);
  if (dayFirstMatch === null) {
    return { ok: false, message: `"${text}" is not a date. ${UK_DATE_HINT}` };
  }
  const day = Number(dayFirstMatch[1]);
  const month = Number(dayFirstMatch[3]);
  const yearText = dayFirstMatch[4] ?? '';
  if (yearText.length === 2) {
    return {
      ok: false,
      message: `"${text}" has a two-digit year, so its century is unknown. ${UK_DATE_HINT}`,
    };
  }
  if (month > 12 && day <= 12) {
    return {
      ok: false,
      message: `"${text}" has no month ${month}; it looks like month/day/year. ${UK_DATE_HINT}`,
    };
  }
  return checkDayExists(text, Number(yearText), month, day, 'day/month/year');
}

/**
 * Converts an Excel serial day number to a date. In the 1900 date system serial 1 is
 * 1 January 1900, and Excel counts a 29 February 1900 that never existed (serial 60). In
 * the 1904 system serial 0 is 1 January 1904. Any time of day in the fraction is ignored.
 */
export function parseExcelSerialDate(serial: number, date1904: boolean): DateReading {
  const whole = Math.floor(serial);
  const maxSerial = 2_958_465; // 31 December 9999, Excel's last date
  if (!Number.isFinite(serial) || whole < 1 || whole > maxSerial) {
    return {
      ok: false,
      message: `${serial} is a number, not a date. Format the cell as a date, for example 05/09/2012.`,
    };
  }
  if (!date1904 && whole === 60) {
    return {
      ok: false,
      message: 'Excel serial 60 is 29/02/1900, a day that does not exist. Correct the date.',
    };
  }
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, whole > 60 ? 30 : 31);
  const millisecondsPerDay = 86_400_000;
  return { ok: true, iso: isoDateFromUtc(new Date(epoch + whole * millisecondsPerDay)) };
}

/** Returns the academic year (start year) that contains an ISO date; years start on 1 September. */
export function academicYearOfDate(iso: string): number {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return month >= 9 ? year : year - 1;
}

/** Formats an academic year the way schools write it, for example `2024/25`. */
export function formatAcademicYear(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

function checkDayExists(
  text: string,
  year: number,
  month: number,
  day: number,
  form: string,
): DateReading {
  if (year < 1000) {
    return {
      ok: false,
      message: `"${text}" has the year ${year}, which is not a four-digit year. Correct the year.`,
    };
  }
  if (month < 1 || month > 12) {
    return {
      ok: false,
      message: `"${text}" has no month ${month}; months run from 1 to 12. Enter it as ${form}.`,
    };
  }
  if (!isRealDate(year, month, day)) {
    const monthName = MONTH_NAMES[month - 1] ?? String(month);
    const length = daysInMonth(year, month);
    return {
      ok: false,
      message: `"${text}" is not a real date: ${monthName} ${year} has ${length} days. Correct the day or the month.`,
    };
  }
  return { ok: true, iso: formatIsoDate(year, month, day) };
}

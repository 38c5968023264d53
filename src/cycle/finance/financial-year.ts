/**
 * Financial years as schools in England account for Pupil Premium: 1 April to 31 March, named
 * by the calendar year in which they start. Financial year 2025 runs from 1 April 2025 to
 * 31 March 2026 and is written `2025-26`.
 */

/** Earliest and latest financial years the app accepts, to catch typos such as `20255`. */
export const FIRST_FINANCIAL_YEAR = 2000;
export const LAST_FINANCIAL_YEAR = 2099;

/** Formats a financial year named by its start year: 2025 becomes `2025-26`. */
export function formatFinancialYear(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Returns the financial year an ISO date (`YYYY-MM-DD`) falls in: `2026-03-31` gives 2025. */
export function financialYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** Returns the first and last days of a financial year as ISO dates. */
export function financialYearDates(startYear: number): { start: string; end: string } {
  return { start: `${startYear}-04-01`, end: `${startYear + 1}-03-31` };
}

/** True for a whole-number start year from `FIRST_FINANCIAL_YEAR` to `LAST_FINANCIAL_YEAR`. */
export function isFinancialYear(value: number): boolean {
  return Number.isInteger(value) && value >= FIRST_FINANCIAL_YEAR && value <= LAST_FINANCIAL_YEAR;
}

import { toCsv, type CsvCell } from '../../exports/csv.js';
import { SHARE_BASIS_LABELS } from './cost-shares.js';
import { formatShareFigure } from './joint-shares.js';
import type { OverseenJointCommission } from './joint-store.js';

const HEADER: readonly CsvCell[] = [
  'Plan',
  'Lead school',
  'School',
  'LAESTAB',
  'Lead or partner',
  'Basis',
  'Figure',
  'Share (£)',
  'Total shared (£)',
  'Plan budget now (£)',
];

/**
 * Writes a trust's joint commissions as CSV, one row per school's share, with a byte order
 * mark so that Excel reads accented names. Amounts are numbers of pounds (1515.5 for £1,515.50),
 * so a spreadsheet can add them up. Text cells, such as plan titles, go through the CSV writer,
 * which neutralises anything a spreadsheet would run as a formula.
 */
export function jointCommissionsToCsv(commissions: readonly OverseenJointCommission[]): string {
  const rows: CsvCell[][] = [[...HEADER]];
  for (const commission of commissions) {
    commission.shares.forEach((share, index) => {
      rows.push([
        commission.planTitle,
        commission.leadSchoolName,
        share.schoolName,
        share.laestab,
        index === 0 ? 'Lead' : 'Partner',
        SHARE_BASIS_LABELS[commission.basis],
        formatShareFigure(commission.basis, share.weight),
        pounds(share.pence),
        pounds(commission.totalPence),
        commission.budgetPence === null ? null : pounds(commission.budgetPence),
      ]);
    });
  }
  return toCsv(rows, { byteOrderMark: true });
}

function pounds(pence: number): number {
  return pence / 100;
}

import { describe, expect, it } from 'vitest';
import { jointCommissionsToCsv } from './joint-csv.js';
import type { OverseenJointCommission } from './joint-store.js';

const COMMISSION: OverseenJointCommission = {
  id: 3,
  leadSchoolId: 1,
  planId: 5,
  basis: 'percentages',
  totalPence: 900_001,
  updatedAt: '2025-06-01T09:00:00.000Z',
  leadSchoolName: 'Brookfield Academy',
  planTitle: '=HYPERLINK("http://example.invalid")',
  budgetPence: null,
  shares: [
    {
      schoolId: 1,
      weight: 3_333,
      pence: 299_970,
      schoolName: 'Brookfield Academy',
      laestab: '8014001',
    },
    {
      schoolId: 7,
      weight: 6_667,
      pence: 600_031,
      schoolName: 'Riverside, Primary',
      laestab: '8014002',
    },
  ],
};

describe('jointCommissionsToCsv', () => {
  it('writes one row per share', () => {
    const lines = jointCommissionsToCsv([COMMISSION]).split('\r\n');

    expect(lines[0]).toBe(
      '\uFEFFPlan,Lead school,School,LAESTAB,Lead or partner,Basis,Figure,Share (£),Total shared (£),Plan budget now (£)',
    );
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://example.invalid"")",Brookfield Academy,Brookfield Academy,8014001,Lead,By agreed percentages,33.33%,2999.7,9000.01,`,
    );
    expect(lines[2]).toBe(
      `"'=HYPERLINK(""http://example.invalid"")",Brookfield Academy,"Riverside, Primary",8014002,Partner,By agreed percentages,66.67%,6000.31,9000.01,`,
    );
    expect(lines).toHaveLength(4);
  });

  it('writes only the header when empty', () => {
    expect(jointCommissionsToCsv([]).split('\r\n')).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { FlagField } from './rule-fields.js';
import type { RuleFacts } from './rule-evaluation.js';
import { summariseSelection } from './rule-summary.js';

const NO_FLAGS = {} as Record<FlagField, boolean | null>;

function facts(
  pupilId: number,
  changes: {
    disadvantaged?: boolean;
    sen?: boolean;
    eal?: boolean;
    sex?: RuleFacts['sex'];
    year?: number | null;
    interventions?: string[];
  } = {},
): RuleFacts {
  const year = changes.year === undefined ? 7 : changes.year;
  return {
    pupilId,
    flags: {
      ...NO_FLAGS,
      disadvantaged: changes.disadvantaged ?? false,
      sen: changes.sen ?? false,
      eal: changes.eal ?? false,
    },
    yearGroup:
      year === null
        ? null
        : year === 0
          ? { key: 'reception', label: 'Reception', order: 0 }
          : { key: `year_${year}`, label: `Year ${year}`, order: year },
    sex: changes.sex === undefined ? 'female' : changes.sex,
    ethnicity: 'white',
    sessions: null,
    suspensions: null,
    results: new Map(),
    interventions: changes.interventions ?? [],
  };
}

/**
 * Ten pupils. Pupils 1 to 4 are disadvantaged, 2, 5 and 6 have SEN, and 3 has EAL. Pupils 1 to
 * 6 are female, 7 to 9 male, and 10 has no sex recorded. Pupils 1 to 5 are in year 7, 6 to 9 in
 * year 8, and 10 has no year group.
 */
const SCHOOL: RuleFacts[] = [
  facts(1, { disadvantaged: true, interventions: ['Mentoring'] }),
  facts(2, { disadvantaged: true, sen: true, interventions: ['Mentoring', 'Reading catch-up'] }),
  facts(3, { disadvantaged: true, eal: true, interventions: ['mentoring '] }),
  facts(4, { disadvantaged: true }),
  facts(5, { sen: true }),
  facts(6, { sen: true, year: 8 }),
  facts(7, { sex: 'male', year: 8, interventions: ['Reading catch-up'] }),
  facts(8, { sex: 'male', year: 8 }),
  facts(9, { sex: 'male', year: 8 }),
  facts(10, { sex: null, year: null }),
];

describe('summariseSelection', () => {
  it('compares the make-up with the school', () => {
    const selected = SCHOOL.filter((pupil) => [1, 2, 3, 4, 7].includes(pupil.pupilId));

    const summary = summariseSelection(selected, SCHOOL);

    expect(summary).toMatchObject({ selected: 5, pupils: 10, share: 0.5, withheld: false });
    expect(summary.makeUp.map((section) => section.heading)).toEqual([
      'Characteristics',
      'Sex',
      'Year group',
    ]);
    const rows = summary.makeUp.flatMap((section) => section.rows);
    expect(
      rows.map((row) => [row.key, row.selected, row.selectedShare, row.school, row.schoolShare]),
    ).toEqual([
      ['disadvantaged', 4, 0.8, 4, 0.4],
      ['sen', 1, 0.2, 3, 0.3],
      ['eal', 1, 0.2, 1, 0.1],
      ['female', 4, 0.8, 6, 0.6],
      ['male', 1, 0.2, 3, 0.3],
      ['sex_not_recorded', 0, 0, 1, 0.1],
      ['year_7', 4, 0.8, 5, 0.5],
      ['year_8', 1, 0.2, 4, 0.4],
      ['no_year_group', 0, 0, 1, 0.1],
    ]);
  });

  it('counts other interventions', () => {
    const selected = SCHOOL.filter((pupil) => [1, 2, 3, 4, 7].includes(pupil.pupilId));

    const summary = summariseSelection(selected, SCHOOL);

    expect(summary.inAnyIntervention).toBe(4);
    expect(summary.interventions).toEqual([
      { name: 'Mentoring', pupils: 3 },
      { name: 'Reading catch-up', pupils: 2 },
    ]);
  });

  it('omits rows for data every pupil has', () => {
    const school = SCHOOL.slice(0, 9);

    const summary = summariseSelection(school, school);

    const keys = summary.makeUp.flatMap((section) => section.rows.map((row) => row.key));
    expect(keys).not.toContain('sex_not_recorded');
    expect(keys).not.toContain('no_year_group');
  });

  it('orders year groups as the school does', () => {
    const school = [10, 0, 2, 10, 0, 2].map((year, index) => facts(index + 1, { year }));

    const summary = summariseSelection(school, school);

    const years = summary.makeUp.find((section) => section.heading === 'Year group');
    expect(years?.rows.map((row) => row.label)).toEqual(['Reception', 'Year 2', 'Year 10']);
  });

  it('withholds the make-up of fewer than 5 pupils', () => {
    const selected = SCHOOL.slice(0, 4);

    const summary = summariseSelection(selected, SCHOOL);

    expect(summary).toEqual({
      selected: 4,
      pupils: 10,
      share: 0.4,
      withheld: true,
      makeUp: [],
      inAnyIntervention: 0,
      interventions: [],
    });
  });

  it('shows an empty selection', () => {
    const summary = summariseSelection([], SCHOOL);

    expect(summary).toMatchObject({ selected: 0, share: 0, withheld: false, inAnyIntervention: 0 });
    expect(summary.makeUp[0]?.rows[0]).toMatchObject({ selected: 0, selectedShare: null });
  });

  it('handles a school with no pupils', () => {
    const summary = summariseSelection([], []);

    expect(summary).toMatchObject({ selected: 0, pupils: 0, share: null });
    expect(summary.makeUp[0]?.rows[0]).toMatchObject({ school: 0, schoolShare: null });
  });
});

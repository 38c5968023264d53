import { describe, expect, it } from 'vitest';
import { yearSessions } from '../../cycle/understand/gap-analysis.js';
import type { ImportedPupil } from '../model.js';
import { parseImportFile } from '../parse-import.js';
import { checkUpn } from '../upn.js';
import { writeSchoolCtf } from './ctf-writer.js';
import { writeExclusionsCsv, writeTermlyAttendanceCsv } from './csv-writers.js';
import {
  generateExclusionsCsv,
  generateSchool,
  generateSchoolCtf,
  type SchoolOptions,
  type SyntheticPupil,
  type SyntheticSchool,
} from './generate-school.js';
import { ABSENCE, FSM_BY_SEN, SEN, SUSPENSIONS } from './national-figures.js';

const OPTIONS: SchoolOptions = {
  seed: 7,
  laestab: '9999001',
  name: 'Oakfield Secondary School (demo)',
  phase: 'secondary',
  pupils: 300,
  academicYear: 2025,
  terms: 3,
  resultsPerPupil: 10,
};

/** A large school, so that rates can be compared with national figures within a few points. */
const LARGE = generateSchool({ ...OPTIONS, seed: 'large', pupils: 5_000 });

const TODAY = new Date('2026-12-04T12:00:00Z');
const LIMITS = { maxBytes: 50 * 1024 * 1024, today: TODAY };

function share(
  pupils: readonly SyntheticPupil[],
  condition: (pupil: SyntheticPupil) => boolean,
): number {
  return pupils.filter(condition).length / pupils.length;
}

function pooledAbsence(pupils: readonly SyntheticPupil[]): number {
  let missed = 0;
  let possible = 0;
  for (const pupil of pupils) {
    const sessions = yearSessions(pupil.attendance, OPTIONS.academicYear);
    missed += sessions?.missed ?? 0;
    possible += sessions?.possible ?? 0;
  }
  return missed / possible;
}

function meanResult(pupils: readonly SyntheticPupil[], component: string): number {
  const scores = pupils.flatMap((pupil) =>
    pupil.results
      .filter((result) => result.stage === 'KS2' && result.component === component)
      .map((result) => Number(result.result)),
  );
  return scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

describe('generateSchool', () => {
  it('same options give same school', () => {
    expect(generateSchoolCtf(OPTIONS)).toBe(generateSchoolCtf(OPTIONS));
    expect(generateExclusionsCsv(OPTIONS)).toBe(generateExclusionsCsv(OPTIONS));
  });

  it('another seed gives another school', () => {
    expect(generateSchoolCtf({ ...OPTIONS, seed: 8 })).not.toBe(generateSchoolCtf(OPTIONS));
  });

  it('result count leaves pupils unchanged', () => {
    const fewer = generateSchool({ ...OPTIONS, resultsPerPupil: 2 });
    const more = generateSchool(OPTIONS);
    expect(fewer.pupils.map((pupil) => [pupil.upn, pupil.legalSurname, pupil.attendance])).toEqual(
      more.pupils.map((pupil) => [pupil.upn, pupil.legalSurname, pupil.attendance]),
    );
  });

  it('writes valid unique permanent UPNs', () => {
    const upns = LARGE.pupils.map((pupil) => pupil.upn);
    expect(new Set(upns).size).toBe(upns.length);
    for (const upn of upns) {
      const check = checkUpn(upn);
      expect(check.reason, upn).toBeNull();
      expect(check.temporary).toBe(false);
      expect(upn.slice(1, 4)).toBe('999');
    }
  });

  it('dates of birth fit year group', () => {
    for (const pupil of LARGE.pupils) {
      const year = Number(pupil.ncYear);
      const firstBirthYear = OPTIONS.academicYear - year - 5;
      expect(pupil.dateOfBirth! >= `${firstBirthYear}-09-01`, pupil.location).toBe(true);
      expect(pupil.dateOfBirth! <= `${firstBirthYear + 1}-08-31`, pupil.location).toBe(true);
    }
  });

  it('fills every year group of phase', () => {
    const primary = generateSchool({ ...OPTIONS, phase: 'primary', pupils: 70 });
    expect(new Set(primary.pupils.map((pupil) => pupil.ncYear))).toEqual(
      new Set(['R', '1', '2', '3', '4', '5', '6']),
    );
    expect(new Set(LARGE.pupils.map((pupil) => pupil.ncYear))).toEqual(
      new Set(['7', '8', '9', '10', '11']),
    );
  });

  it('uses names with apostrophes and accents', () => {
    const names = LARGE.pupils.flatMap((pupil) => [pupil.legalSurname, pupil.legalForename]);
    expect(names.some((name) => name.includes("'"))).toBe(true);
    expect(names.some((name) => /[^\u0020-\u007e]/.test(name))).toBe(true);
  });

  it('balances attendance records', () => {
    for (const pupil of LARGE.pupils) {
      for (const record of pupil.attendance) {
        expect(record.attended + record.authorised + record.unauthorised, pupil.location).toBe(
          record.possible,
        );
        expect(record.attended, pupil.location).toBeGreaterThanOrEqual(0);
        expect(record.schoolLaestab).toBe(OPTIONS.laestab);
      }
    }
  });

  it('writes term or year records', () => {
    const byTerm = generateSchool(OPTIONS);
    const byYear = generateSchool({ ...OPTIONS, terms: 1 });
    byTerm.pupils.forEach((pupil, index) => {
      const yearRecords = byYear.pupils[index]!.attendance;
      expect(pupil.attendance.length).toBeGreaterThanOrEqual(1);
      expect(pupil.attendance.every((record) => record.period !== 'year')).toBe(true);
      expect(yearRecords).toHaveLength(1);
      expect(yearRecords[0]!.period).toBe('year');
      expect(yearRecords[0]!.possible).toBe(
        pupil.attendance.reduce((sum, record) => sum + record.possible, 0),
      );
    });
    expect(share(byTerm.pupils, (pupil) => pupil.attendance.length === 3)).toBeGreaterThan(0.9);
  });

  it('limits results and skips cancelled summers', () => {
    const maxResults = Math.max(...LARGE.pupils.map((pupil) => pupil.results.length));
    const cancelled = LARGE.pupils.flatMap((pupil) =>
      pupil.results
        .filter((result) => result.year === 2020 || result.year === 2021)
        .map((result) => `${pupil.location} ${result.stage}`),
    );
    expect(maxResults).toBe(OPTIONS.resultsPerPupil);
    expect(cancelled).toEqual([]);
    const year7 = LARGE.pupils.filter((pupil) => pupil.ncYear === '7');
    for (const pupil of year7) {
      expect(
        pupil.results
          .slice(0, 2)
          .map(
            (result) =>
              `${result.stage}/${result.subject}/${result.component}/${result.method}/${result.qualifier}`,
          ),
      ).toEqual(['KS2/ENG/RD/TT/SS', 'KS2/MAT/MAT/TT/SS']);
      expect(pupil.results[0]!.year).toBe(2025);
    }
  });

  it('year 11 has no KS2 results', () => {
    // They would have sat key stage 2 in summer 2021, when the tests were cancelled.
    const year11 = LARGE.pupils.filter((pupil) => pupil.ncYear === '11');
    expect(year11.every((pupil) => pupil.results.every((result) => result.stage !== 'KS2'))).toBe(
      true,
    );
  });

  it('keeps scaled scores in range', () => {
    const scores = LARGE.pupils.flatMap((pupil) =>
      pupil.results
        .filter((result) => result.qualifier === 'SS')
        .map((result) => Number(result.result)),
    );
    expect(scores.length).toBeGreaterThan(1000);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...scores)).toBeLessThanOrEqual(120);
  });

  it('rejects options out of range', () => {
    expect(() => generateSchool({ ...OPTIONS, laestab: '999001' })).toThrow(
      /laestab "999001" is invalid/,
    );
    expect(() => generateSchool({ ...OPTIONS, pupils: 0 })).toThrow(/pupils is 0/);
    expect(() => generateSchool({ ...OPTIONS, resultsPerPupil: 31 })).toThrow(
      /resultsPerPupil is 31/,
    );
    expect(() => generateSchool({ ...OPTIONS, academicYear: 1999 })).toThrow(
      /academicYear is 1999/,
    );
    expect(() => generateSchool({ ...OPTIONS, name: ' ' })).toThrow(/name is empty/);
  });
});

describe('generateSchool national rates', () => {
  const pupils = LARGE.pupils;
  const disadvantaged = pupils.filter((pupil) => pupil.disadvantaged);
  const others = pupils.filter((pupil) => !pupil.disadvantaged);

  it('matches SEN shares', () => {
    expect(share(pupils, (pupil) => pupil.senProvision === 'K')).toBeCloseTo(SEN.supportShare, 1);
    expect(
      Math.abs(share(pupils, (pupil) => pupil.senProvision === 'E') - SEN.ehcPlanShare),
    ).toBeLessThan(0.015);
  });

  it('matches FSM eligibility', () => {
    const expected =
      SEN.ehcPlanShare * FSM_BY_SEN.ehcPlan +
      SEN.supportShare * FSM_BY_SEN.senSupport +
      (1 - SEN.ehcPlanShare - SEN.supportShare) * FSM_BY_SEN.noSen;
    const fsmNow = share(pupils, (pupil) => pupil.fsmPeriods.some((period) => period.end === null));
    expect(Math.abs(fsmNow - expected)).toBeLessThan(0.025);
  });

  it('matches EAL share', () => {
    const eal = share(
      pupils,
      (pupil) => pupil.firstLanguage !== 'ENG' && pupil.firstLanguage !== 'ENB',
    );
    expect(Math.abs(eal - 0.2)).toBeLessThan(0.04);
  });

  it('matches secondary absence', () => {
    expect(Math.abs(pooledAbsence(pupils) - ABSENCE.overallRate.secondary)).toBeLessThan(0.01);
  });

  it('matches the secondary suspension rate', () => {
    const suspensions = pupils.flatMap((pupil) =>
      pupil.exclusions.filter((exclusion) => exclusion.kind === 'suspension'),
    );
    expect(
      Math.abs((suspensions.length / pupils.length) * 100 - SUSPENSIONS.ratePer100.secondary),
    ).toBeLessThan(5);
  });

  it('gives disadvantaged pupils more absence', () => {
    expect(pooledAbsence(disadvantaged)).toBeGreaterThan(pooledAbsence(others) * 1.4);
  });

  it('gives disadvantaged pupils lower KS2 scores', () => {
    expect(meanResult(others, 'RD') - meanResult(disadvantaged, 'RD')).toBeGreaterThan(2.5);
    expect(meanResult(others, 'MAT') - meanResult(disadvantaged, 'MAT')).toBeGreaterThan(2.5);
  });

  it('centres KS2 reading on national mean', () => {
    expect(Math.abs(meanResult(pupils, 'RD') - 105)).toBeLessThan(0.7);
  });
});

describe('demo files through the importer', () => {
  const school: SyntheticSchool = generateSchool({
    ...OPTIONS,
    name: 'Oakfield & Co "demo" <test>',
  });

  function characteristics(pupil: ImportedPupil): unknown[] {
    return [
      pupil.upn,
      pupil.legalSurname,
      pupil.legalForename,
      pupil.preferredForename,
      pupil.dateOfBirth,
      pupil.sex,
      pupil.ncYear,
      pupil.ethnicity,
      pupil.firstLanguage,
      pupil.senProvision === 'N' ? null : pupil.senProvision,
      pupil.inCare,
    ];
  }

  it('CTF reads back without problems', async () => {
    const parsed = await parseImportFile('demo.xml', Buffer.from(writeSchoolCtf(school)), LIMITS);

    expect(parsed.problems).toEqual([]);
    expect(parsed.format).toBe('ctf');
    expect(parsed.ctfVersion).toBe('25.0');
    expect(parsed.academicYear).toBe(OPTIONS.academicYear);
    expect(parsed.sourceSchool).toEqual({
      laestab: OPTIONS.laestab,
      name: 'Oakfield & Co "demo" <test>',
    });
    expect(parsed.pupils.map(characteristics)).toEqual(school.pupils.map(characteristics));
    expect(parsed.pupils.map((pupil) => pupil.fsmPeriods)).toEqual(
      school.pupils.map((pupil) => pupil.fsmPeriods),
    );
    expect(parsed.pupils.map((pupil) => pupil.results)).toEqual(
      school.pupils.map((pupil) => pupil.results),
    );
  });

  it('CTF sums terms into year', async () => {
    const parsed = await parseImportFile('demo.xml', Buffer.from(writeSchoolCtf(school)), LIMITS);
    parsed.pupils.forEach((pupil, index) => {
      const generated = yearSessions(school.pupils[index]!.attendance, OPTIONS.academicYear);
      expect(pupil.attendance).toHaveLength(1);
      expect(pupil.attendance[0]!.period).toBe('year');
      expect(yearSessions(pupil.attendance, OPTIONS.academicYear)).toEqual(generated);
    });
  });

  it('reads the exclusions CSV as exclusions', async () => {
    const parsed = await parseImportFile(
      'exclusions.csv',
      Buffer.from(writeExclusionsCsv(school)),
      { ...LIMITS, academicYear: 2025 },
    );
    const expected = school.pupils.filter((pupil) => pupil.exclusions.length > 0);

    expect(parsed.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(parsed.contents).toBe('exclusions');
    expect(expected.length).toBeGreaterThan(0);
    expect(parsed.pupils.map((pupil) => [pupil.upn, pupil.exclusions])).toEqual(
      expected.map((pupil) => [pupil.upn, pupil.exclusions]),
    );
  });

  it('termly CSV matches CTF characteristics', async () => {
    const parsed = await parseImportFile(
      'attendance.csv',
      Buffer.from(writeTermlyAttendanceCsv(school)),
      {
        ...LIMITS,
        academicYear: 2025,
      },
    );

    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils.map(characteristics)).toEqual(school.pupils.map(characteristics));
    expect(
      parsed.pupils.map((pupil) =>
        pupil.attendance.map((record) => ({ ...record, schoolLaestab: OPTIONS.laestab })),
      ),
    ).toEqual(school.pupils.map((pupil) => pupil.attendance));
  });
});

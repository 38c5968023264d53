import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, it, expect } from 'vitest';

import type {
  AttendanceRecord,
  AssessmentResult,
  ExclusionRecord,
  FsmPeriod,
} from '../../pupils/model.js';
import {
  analyseGaps,
  assessmentKey,
  describeAssessmentKey,
  noGapReason,
  yearSessions,
  type AnalysisPupil,
  type GapAnalysis,
  type GroupComparison,
  type MeasureComparison,
} from './gap-analysis.js';
import { generateSchool } from '../../pupils/demo/generate-school.js';

const ACCEPTANCE = new URL('../../../../shared/acceptance/foundation/', import.meta.url);
const BROOKFIELD_XML = new URL('brookfield-ctf25.xml', ACCEPTANCE);
const BROOKFIELD_EXPECTED = new URL('brookfield-expected.json', ACCEPTANCE);
const hasBrookfield = existsSync(BROOKFIELD_XML) && existsSync(BROOKFIELD_EXPECTED);
if (!hasBrookfield) {
  console.warn(`Skipping the Brookfield acceptance check: ${fileURLToPath(ACCEPTANCE)} not found`);
}

const KS2_READING = 'assessment:KS2/ENG/RD/TT/SS';
const KS2_MATHS = 'assessment:KS2/MAT/MAT/TT/SS';

function blankPupil(pupilId: number, changes: Partial<AnalysisPupil> = {}): AnalysisPupil {
  return {
    pupilId,
    sex: 'M',
    ncYear: '7',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    eal: null,
    senProvision: 'N',
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: null,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: [],
    results: [],
    ...changes,
  };
}

function yearRow(possible: number, missed: number, academicYear = 2024): AttendanceRecord {
  return {
    academicYear,
    period: 'year',
    schoolLaestab: '8014001',
    possible,
    attended: possible - missed,
    authorised: missed,
    unauthorised: 0,
  };
}

function scaledScore(subject: 'ENG' | 'MAT', result: string, year = 2024): AssessmentResult {
  return {
    stage: 'KS2',
    subject,
    component: subject === 'ENG' ? 'RD' : 'MAT',
    method: 'TT',
    qualifier: 'SS',
    result,
    resultDate: `${year + 1}-07-05`,
    year,
  };
}

function findGroup(analysis: GapAnalysis, key: string): GroupComparison {
  const group = analysis.groups.find((item) => item.group === key);
  if (group === undefined) {
    throw new Error(
      `Group ${key} not found; groups are ${analysis.groups.map((item) => item.group).join(', ')}`,
    );
  }
  return group;
}

function findMeasure(group: GroupComparison, key: string): MeasureComparison {
  const measure = group.measures.find((item) => item.measure === key);
  if (measure === undefined) {
    throw new Error(`Measure ${key} not found in group ${group.group}`);
  }
  return measure;
}

describe('analyseGaps on Brookfield', () => {
  interface ExpectedDifference {
    rate?: number;
    rate_rest?: number;
    mean?: number;
    mean_rest?: number;
    gap: number;
    ci_low: number;
    ci_high: number;
  }
  interface ExpectedGroup {
    group: string;
    n: number;
    n_rest: number;
    suppressed?: boolean;
    overall_absence_rate?: number;
    overall_absence_rate_rest?: number;
    persistent_absence?: ExpectedDifference;
    severe_absence_count?: number;
    ks2_read?: ExpectedDifference;
    ks2_mat?: ExpectedDifference;
  }

  const expected = hasBrookfield
    ? (JSON.parse(readFileSync(BROOKFIELD_EXPECTED, 'utf8')) as { groups: ExpectedGroup[] })
    : { groups: [] };
  const analysis = hasBrookfield ? analyseGaps(readBrookfield(), 2024) : null;

  it.skipIf(!hasBrookfield)('uses census day 2025-01-16', () => {
    expect(analysis?.censusDate).toBe('2025-01-16');
    expect(analysis?.pupils).toBe(60);
  });

  it.skipIf(!hasBrookfield).each(expected.groups)('$group matches expected', (row) => {
    const group = findGroup(analysis as GapAnalysis, row.group);

    expect(group.n).toBe(row.n);
    expect(group.nRest).toBe(row.n_rest);
    expect(group.suppressed).toBe(row.suppressed === true);
    if (row.suppressed === true) {
      expect(group.measures).toEqual([]);
      return;
    }

    const absence = findMeasure(group, 'overall_absence_rate');
    expect(absence.value).toBeCloseTo(row.overall_absence_rate ?? Number.NaN, 3);
    expect(absence.valueRest).toBeCloseTo(row.overall_absence_rate_rest ?? Number.NaN, 3);
    expectDifference(findMeasure(group, 'persistent_absence'), row.persistent_absence);
    expect(findMeasure(group, 'severe_absence').count).toBe(row.severe_absence_count);
    expectDifference(findMeasure(group, KS2_READING), row.ks2_read);
    expectDifference(findMeasure(group, KS2_MATHS), row.ks2_mat);
  });

  function expectDifference(
    actual: MeasureComparison,
    wanted: ExpectedDifference | undefined,
  ): void {
    if (wanted === undefined) {
      throw new Error(`Expected figures missing for ${actual.measure}`);
    }
    expect(actual.suppressed).toBe(false);
    expect(actual.value).toBeCloseTo(wanted.rate ?? wanted.mean ?? Number.NaN, 3);
    expect(actual.valueRest).toBeCloseTo(wanted.rate_rest ?? wanted.mean_rest ?? Number.NaN, 3);
    expect(actual.gap).toBeCloseTo(wanted.gap, 3);
    expect(actual.ciLow).toBeCloseTo(wanted.ci_low, 3);
    expect(actual.ciHigh).toBeCloseTo(wanted.ci_high, 3);
  }
});

describe('analyseGaps on synthetic school', () => {
  // Pupils and figures generated by scripts/reference/gap_reference.py with SciPy.
  const reference = JSON.parse(
    readFileSync(new URL('./reference/gap-reference.json', import.meta.url), 'utf8'),
  ) as {
    academicYear: number;
    censusDate: string;
    ever6WindowStart: string;
    pupils: AnalysisPupil[];
    groups: (Omit<GroupComparison, 'label' | 'measures'> & {
      measures: Omit<MeasureComparison, 'label' | 'kind'>[];
    })[];
  };
  const analysis = analyseGaps(reference.pupils, reference.academicYear);

  it('dates the census and window', () => {
    expect(analysis.censusDate).toBe(reference.censusDate);
    expect(analysis.ever6WindowStart).toBe(reference.ever6WindowStart);
  });

  it('lists the same groups in order', () => {
    expect(analysis.groups.map((group) => group.group)).toEqual(
      reference.groups.map((group) => group.group),
    );
  });

  it.each(reference.groups)('$group matches reference', (expected) => {
    const group = findGroup(analysis, expected.group);

    expect(group.n).toBe(expected.n);
    expect(group.nRest).toBe(expected.nRest);
    expect(group.suppressed).toBe(expected.suppressed);
    expect(group.measures.map((measure) => measure.measure)).toEqual(
      expected.measures.map((measure) => measure.measure),
    );
    for (const wanted of expected.measures) {
      const actual = findMeasure(group, wanted.measure);
      expect(actual.n, wanted.measure).toBe(wanted.n);
      expect(actual.nRest, wanted.measure).toBe(wanted.nRest);
      expect(actual.suppressed, wanted.measure).toBe(wanted.suppressed);
      expect(actual.count, wanted.measure).toBe(wanted.count);
      expect(actual.countRest, wanted.measure).toBe(wanted.countRest);
      for (const field of ['value', 'valueRest', 'gap', 'ciLow', 'ciHigh'] as const) {
        expectSameFigure(actual[field], wanted[field], `${wanted.measure} ${field}`);
      }
    }
  });

  it('survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  });
});

/** Null must match null; numbers agree to 1e-8, the accuracy of stdlib's t quantile. */
function expectSameFigure(actual: number | null, expected: number | null, name: string): void {
  if (expected === null) {
    expect(actual, name).toBeNull();
    return;
  }
  expect(actual, name).not.toBeNull();
  expect(Math.abs((actual as number) - expected), name).toBeLessThanOrEqual(
    1e-8 * Math.max(1, Math.abs(expected)),
  );
}

describe('analyseGaps suppression', () => {
  const fivePupils = (firstId: number, changes: Partial<AnalysisPupil>): AnalysisPupil[] =>
    Array.from({ length: 5 }, (_, index) => blankPupil(firstId + index, changes));

  it.each([
    [4, 10, true, 'too-few-pupils'],
    [5, 4, true, 'too-few-pupils'],
    [5, 5, false, null],
    [0, 12, false, 'no-data'],
    [12, 0, false, 'no-data'],
    [3, 0, true, 'too-few-pupils'],
  ])('group of %i against %i suppressed: %s', (groupSize, restSize, suppressed, reason) => {
    const pupils = [
      ...Array.from({ length: groupSize }, (_, index) => blankPupil(index, { sex: 'F' })),
      ...Array.from({ length: restSize }, (_, index) => blankPupil(100 + index, { sex: 'M' })),
    ];

    const female = findGroup(analyseGaps(pupils, 2024), 'female');

    expect(female.n).toBe(groupSize);
    expect(female.nRest).toBe(restSize);
    expect(female.suppressed).toBe(suppressed);
    expect(female.reason).toBe(reason);
    expect(female.measures.length === 0).toBe(suppressed);
  });

  it('suppresses a thin measure only', () => {
    const pupils = [
      ...fivePupils(1, {
        sex: 'F',
        attendance: [yearRow(300, 30)],
        results: [scaledScore('ENG', '100')],
      }),
      ...fivePupils(11, { sex: 'M', attendance: [yearRow(300, 3)] }).map((pupil, index) =>
        index < 3 ? { ...pupil, results: [scaledScore('ENG', '104')] } : pupil,
      ),
    ];

    const female = findGroup(analyseGaps(pupils, 2024), 'female');
    const reading = findMeasure(female, KS2_READING);
    const absence = findMeasure(female, 'overall_absence_rate');

    expect(female.suppressed).toBe(false);
    expect(reading).toMatchObject({
      suppressed: true,
      reason: 'too-few-pupils',
      n: 5,
      nRest: 3,
      value: null,
      valueRest: null,
      gap: null,
      ciLow: null,
    });
    expect(absence.suppressed).toBe(false);
    expect(absence.reason).toBeNull();
    expect(absence.gap).toBeCloseTo(0.09, 12);
  });

  it('reports no data for an empty side', () => {
    const pupils = [
      ...fivePupils(1, { sex: 'F', results: [scaledScore('ENG', '100')] }),
      ...fivePupils(11, { sex: 'M' }),
    ];

    const reading = findMeasure(findGroup(analyseGaps(pupils, 2024), 'female'), KS2_READING);

    expect(reading).toMatchObject({
      suppressed: false,
      reason: 'no-data',
      n: 5,
      nRest: 0,
      value: 100,
      valueRest: null,
      gap: null,
      ciLow: null,
      ciHigh: null,
    });
  });

  it('reports no data without attendance', () => {
    const pupils = [...fivePupils(1, { sex: 'F' }), ...fivePupils(11, { sex: 'M' })];

    const female = findGroup(analyseGaps(pupils, 2024), 'female');

    for (const key of ['attendance_rate', 'overall_absence_rate', 'persistent_absence']) {
      expect(findMeasure(female, key), key).toMatchObject({
        suppressed: false,
        reason: 'no-data',
        n: 0,
        nRest: 0,
        value: null,
        valueRest: null,
        gap: null,
        count: null,
        countRest: null,
      });
    }
  });

  it('keeps figures of a whole-school group', () => {
    const pupils = [
      ...fivePupils(1, { ncYear: '2', attendance: [yearRow(300, 30)] }),
      ...fivePupils(11, { ncYear: '2', attendance: [yearRow(300, 60)] }),
    ];

    const year2 = findGroup(analyseGaps(pupils, 2024), 'year_2');

    expect(year2).toMatchObject({ n: 10, nRest: 0, suppressed: false, reason: 'no-data' });
    expect(findMeasure(year2, 'overall_absence_rate')).toMatchObject({
      reason: 'no-data',
      valueRest: null,
      gap: null,
    });
    expect(findMeasure(year2, 'overall_absence_rate').value).toBeCloseTo(0.15, 12);
    expect(findMeasure(year2, 'persistent_absence')).toMatchObject({
      value: 1,
      count: 10,
      countRest: null,
    });
  });
});

describe('noGapReason', () => {
  it.each([
    [5, 5, null],
    [0, 0, 'no-data'],
    [0, 5, 'no-data'],
    [4, 5, 'too-few-pupils'],
    [0, 1, 'too-few-pupils'],
    [4, 0, 'too-few-pupils'],
  ])('%i against %i gives %s', (n, nRest, reason) => {
    expect(noGapReason(n, nRest)).toBe(reason);
  });
});

describe('analyseGaps measures', () => {
  it('counts a pupil exactly on 10% as persistent', () => {
    const pupils = [
      ...Array.from({ length: 5 }, (_, index) =>
        blankPupil(index, { sex: 'F', attendance: [yearRow(320, 32)] }),
      ),
      ...Array.from({ length: 5 }, (_, index) =>
        blankPupil(10 + index, { sex: 'M', attendance: [yearRow(320, 31)] }),
      ),
    ];

    const persistent = findMeasure(
      findGroup(analyseGaps(pupils, 2024), 'female'),
      'persistent_absence',
    );

    expect(persistent.count).toBe(5);
    expect(persistent.countRest).toBe(0);
    expect(persistent.gap).toBe(1);
  });

  it('leaves out pupils with no possible sessions', () => {
    const pupils = [
      ...Array.from({ length: 6 }, (_, index) =>
        blankPupil(index, { sex: 'F', attendance: [yearRow(300, 60)] }),
      ),
      blankPupil(6, { sex: 'F', attendance: [yearRow(0, 0)] }),
      ...Array.from({ length: 5 }, (_, index) =>
        blankPupil(10 + index, { sex: 'M', attendance: [yearRow(300, 0)] }),
      ),
    ];

    const female = findGroup(analyseGaps(pupils, 2024), 'female');

    expect(female.n).toBe(7);
    expect(findMeasure(female, 'overall_absence_rate')).toMatchObject({
      n: 6,
      value: 0.2,
      valueRest: 0,
    });
    expect(findMeasure(female, 'persistent_absence')).toMatchObject({ n: 6, count: 6 });
  });

  it('omits exclusions when none recorded', () => {
    const pupils = Array.from({ length: 10 }, (_, index) =>
      blankPupil(index, { sex: index < 5 ? 'F' : 'M' }),
    );

    const measures = findGroup(analyseGaps(pupils, 2024), 'female').measures.map(
      (measure) => measure.measure,
    );

    expect(measures).not.toContain('suspension');
    expect(measures).not.toContain('permanent_exclusion');
  });

  it('ignores exclusions from other years', () => {
    const lastYear: ExclusionRecord = {
      academicYear: 2023,
      kind: 'suspension',
      startDate: '2024-03-01',
      sessionsLost: 4,
      reason: null,
    };
    const pupils = Array.from({ length: 10 }, (_, index) =>
      blankPupil(index, { sex: index < 5 ? 'F' : 'M', exclusions: [lastYear] }),
    );

    const suspension = findMeasure(findGroup(analyseGaps(pupils, 2024), 'female'), 'suspension');

    expect(suspension).toMatchObject({ count: 0, countRest: 0, gap: 0 });
  });

  it('uses the latest numeric result', () => {
    const results = [
      scaledScore('MAT', '90', 2018),
      scaledScore('MAT', '110', 2019),
      scaledScore('ENG', 'A', 2019),
    ];
    const pupils = Array.from({ length: 10 }, (_, index) =>
      blankPupil(index, {
        sex: index < 5 ? 'F' : 'M',
        results: index < 5 ? results : [scaledScore('MAT', '100')],
      }),
    );

    const female = findGroup(analyseGaps(pupils, 2024), 'female');

    expect(findMeasure(female, KS2_MATHS)).toMatchObject({ value: 110, valueRest: 100, gap: 10 });
    expect(female.measures.map((measure) => measure.measure)).not.toContain(KS2_READING);
  });

  it('labels KS2 scaled scores', () => {
    const pupils = Array.from({ length: 10 }, (_, index) =>
      blankPupil(index, {
        sex: index < 5 ? 'F' : 'M',
        results: [scaledScore('ENG', '101'), scaledScore('MAT', '99')],
      }),
    );

    const female = findGroup(analyseGaps(pupils, 2024), 'female');

    expect(findMeasure(female, KS2_READING).label).toBe('KS2 reading scaled score');
    expect(findMeasure(female, KS2_MATHS).label).toBe('KS2 maths scaled score');
  });

  it('labels the demo assessments', () => {
    const demoResults = generateSchool({
      seed: 'labels',
      laestab: '9999001',
      name: 'Label School',
      phase: 'primary',
      pupils: 200,
      academicYear: 2024,
      terms: 1,
      resultsPerPupil: 6,
    }).pupils.map((pupil, index) =>
      blankPupil(index, { sex: index % 2 === 0 ? 'F' : 'M', results: pupil.results }),
    );

    const labels = findGroup(analyseGaps(demoResults, 2024), 'female').measures.map(
      (measure) => measure.label,
    );

    expect(labels).toEqual(
      expect.arrayContaining([
        'KS2 grammar, punctuation and spelling scaled score',
        'Multiplication tables check mark (year 4, out of 25)',
        'Phonics screening check mark (year 1, out of 40)',
      ]),
    );
    for (const label of labels) {
      expect(label).not.toMatch(/\b(TT|SS|MK|PHON|GPS)\b/);
    }
  });

  it('lists ethnicity and year groups present', () => {
    const pupils = [
      blankPupil(1, { ethnicity: 'CHNE', ncYear: '9' }),
      blankPupil(2, { ethnicity: 'BAFR', ncYear: 'R' }),
      blankPupil(3, { ethnicity: null, ncYear: 'X' }),
    ];

    const keys = analyseGaps(pupils, 2024).groups.map((group) => group.group);

    expect(keys).toEqual([
      'disadvantaged',
      'fsm_now',
      'sen_support',
      'ehc_plan',
      'eal',
      'female',
      'male',
      'in_care',
      'ethnicity_asian',
      'ethnicity_black',
      'ethnicity_unclassified',
      'reception',
      'year_9',
    ]);
  });
});

describe('describeAssessmentKey', () => {
  it.each([
    ['KS4/MAT/MAT/TT/GR', 'Key stage 4 maths, test result (GR)'],
    ['KS2/ENG/WRI/TA/SS', 'Key stage 2 English writing, teacher assessment scaled score'],
    ['KS2/SCI///', 'Key stage 2 science, result'],
    ['ABC/XYZ/Q1/M/R', 'ABC XYZ Q1, M result (R)'],
  ])('%s reads "%s"', (key, description) => {
    expect(describeAssessmentKey(key)).toBe(description);
  });
});

describe('yearSessions', () => {
  const term = (
    period: 'autumn' | 'spring' | 'summer',
    possible: number,
    missed: number,
  ): AttendanceRecord => ({
    ...yearRow(possible, missed),
    period,
  });

  it.each([
    ['year row only', [yearRow(300, 30)], { possible: 300, attended: 270, missed: 30 }],
    [
      'terms only',
      [term('autumn', 100, 10), term('spring', 120, 5)],
      { possible: 220, attended: 205, missed: 15 },
    ],
    [
      'year row over terms',
      [yearRow(300, 30), term('autumn', 100, 10)],
      { possible: 300, attended: 270, missed: 30 },
    ],
    ['other year only', [yearRow(300, 30, 2023)], null],
    ['no rows', [], null],
  ])('%s', (_name, records, expected) => {
    expect(yearSessions(records, 2024)).toEqual(expected);
  });

  it('adds schools separately', () => {
    const otherSchool: AttendanceRecord = { ...term('autumn', 100, 20), schoolLaestab: '8010001' };

    expect(yearSessions([yearRow(200, 10), otherSchool], 2024)).toEqual({
      possible: 300,
      attended: 270,
      missed: 30,
    });
  });
});

describe('assessmentKey', () => {
  it('joins the five parts', () => {
    expect(assessmentKey(scaledScore('ENG', '100'))).toBe('KS2/ENG/RD/TT/SS');
  });

  it('leaves missing parts empty', () => {
    const result: AssessmentResult = {
      ...scaledScore('MAT', '5'),
      component: null,
      method: null,
      qualifier: null,
    };

    expect(assessmentKey(result)).toBe('KS2/MAT///');
  });
});

/** A parsed XML element: its name, its text and its child elements. */
interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

/**
 * Reads the Brookfield CTF into analysis pupils. This reader knows only the elements that file
 * uses; the product's importer is tested on its own.
 */
function readBrookfield(): AnalysisPupil[] {
  const root = parseXml(readFileSync(BROOKFIELD_XML, 'utf8'));
  const pupils = descendants(root, 'Pupil');
  return pupils.map((pupil, index) => ctfPupil(pupil, index + 1));
}

function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', text: '', children: [] };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, text: '', children: [] };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current !== undefined) {
      current.text += text;
    }
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root;
}

function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) =>
    child.name === name ? [child] : descendants(child, name),
  );
}

function childText(element: XmlElement, name: string): string | null {
  const child = element.children.find((item) => item.name === name);
  return child === undefined ? null : child.text.trim();
}

function firstText(element: XmlElement, name: string): string | null {
  const [found] = descendants(element, name);
  return found === undefined ? null : found.text.trim();
}

function ctfPupil(pupil: XmlElement, pupilId: number): AnalysisPupil {
  const [inCareBlock] = descendants(pupil, 'InCare');
  const sen = descendants(pupil, 'SENprovision').at(-1)?.text.trim();
  return blankPupil(pupilId, {
    sex: childText(pupil, 'Sex') === 'F' ? 'F' : 'M',
    ncYear: firstText(pupil, 'NCyearActual'),
    ethnicity: firstText(pupil, 'Ethnicity'),
    firstLanguage: firstText(pupil, 'Language'),
    senProvision: sen === 'K' || sen === 'E' ? sen : 'N',
    inCare: inCareBlock !== undefined && childText(inCareBlock, 'InCare') === 'true',
    previouslyLookedAfter: null,
    fsmPeriods: descendants(pupil, 'FSMinstance').map((instance): FsmPeriod => ({
      start: childText(instance, 'FSMstartDate') ?? '',
      end: childText(instance, 'FSMendDate'),
    })),
    attendance: descendants(pupil, 'YearData').map((row): AttendanceRecord => ({
      academicYear: Number(childText(row, 'Year')),
      period: 'year',
      schoolLaestab: `${childText(row, 'LEA') ?? ''}${childText(row, 'Estab') ?? ''}`,
      possible: Number(childText(row, 'SessionsPossible')),
      attended: Number(childText(row, 'SessionsAttended')),
      authorised: Number(childText(row, 'SessionsAuthorised')),
      unauthorised: Number(childText(row, 'SessionsUnauthorised')),
    })),
    results: descendants(pupil, 'KeyStage').flatMap((keyStage) =>
      descendants(keyStage, 'StageAssessment').map((assessment): AssessmentResult => ({
        stage: childText(keyStage, 'Stage') ?? '',
        subject: childText(assessment, 'Subject') ?? '',
        component: childText(assessment, 'Component'),
        method: childText(assessment, 'Method'),
        qualifier: childText(assessment, 'ResultQualifier'),
        result: childText(assessment, 'Result') ?? '',
        resultDate: childText(assessment, 'ResultDate'),
        year: Number(childText(assessment, 'Year')),
      })),
    ),
  });
}

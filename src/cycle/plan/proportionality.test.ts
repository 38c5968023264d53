import { describe, expect, it } from 'vitest';
import { approvalAuthority } from './approval.js';
import { comparePlanVersions } from './plan-changes.js';
import { readPlanDetails, type PlanDetailsInput } from './plan-details.js';
import { sectionStates, sectionsMissingForSubmission } from './plan-readiness.js';
import {
  bandForPlan,
  checkBands,
  DEFAULT_BANDS,
  durationInWeeks,
  requiredSectionsOf,
} from './proportionality.js';

describe('proportionality bands', () => {
  it('counts weeks with both ends included and part weeks rounded up', () => {
    expect(durationInWeeks('2027-01-04', '2027-01-10')).toBe(1);
    expect(durationInWeeks('2027-01-04', '2027-01-11')).toBe(2);
    expect(durationInWeeks('2027-01-04', '2027-01-04')).toBe(1);
  });

  it('bands a workshop and a programme', () => {
    const workshop = bandForPlan(DEFAULT_BANDS, 45_000, '2027-02-01', '2027-02-01');
    const programme = bandForPlan(DEFAULT_BANDS, 1_500_000, '2027-01-04', '2027-12-17');

    expect(workshop).toEqual({ band: DEFAULT_BANDS[0], provisional: false });
    expect(programme.band.name).toBe('Full');
  });

  it('uses the band of whichever limit is passed first', () => {
    // Cheap but long: too long for the light band.
    expect(bandForPlan(DEFAULT_BANDS, 10_000, '2027-01-04', '2027-04-30').band.name).toBe(
      'Standard',
    );
    // Exactly on the light band's limit of £2,000 stays in it.
    expect(bandForPlan(DEFAULT_BANDS, 200_000, '2027-01-04', '2027-01-10').band.name).toBe('Light');
  });

  it('holds a plan without budget or dates to the most demanding band', () => {
    expect(bandForPlan(DEFAULT_BANDS, null, '2027-01-04', '2027-01-10')).toEqual({
      band: DEFAULT_BANDS[2],
      provisional: true,
    });
  });

  it('always requires outcomes, audience, timeframe and budget', () => {
    const light = { ...DEFAULT_BANDS[0]!, requiredSections: [] };

    expect(requiredSectionsOf(light)).toEqual(['outcomes', 'audience', 'timeframe', 'budget']);
  });

  it('checks bands a school sets', () => {
    const errors = checkBands([
      { name: 'Small', maxValuePence: 500_000, maxWeeks: 10, requiredSections: ['outcomes'] },
      { name: '', maxValuePence: 400_000, maxWeeks: 8, requiredSections: ['wishes'] },
    ]);

    expect(errors.map((error) => error.field)).toEqual([
      'band-1-name',
      'band-1-sections',
      'band-1-maxValue',
      'band-1-maxWeeks',
    ]);
  });
});

describe('readiness for submission', () => {
  const details = {
    title: 'Mentoring',
    improvement_priority_id: null,
    alignment: '',
    audience_rule: 'disadvantaged',
    audience_rule_tree: null,
    start_date: '2027-01-04',
    end_date: '2027-01-10',
    budget_pence: 100_000,
    staff_hours: null,
    key_contact: '',
    responsible_leader: '',
    evaluation_strategy: '',
  };

  it('lists missing required sections', () => {
    const states = sectionStates(details, { outcomes: 1, outputs: 0 }, DEFAULT_BANDS[1]!);
    const missing = sectionsMissingForSubmission(states).map((state) => state.section);

    expect(missing).toEqual(['alignment', 'key_contact']);
  });

  it('asks the light band for less', () => {
    const states = sectionStates(details, { outcomes: 1, outputs: 0 }, DEFAULT_BANDS[0]!);

    expect(sectionsMissingForSubmission(states).map((state) => state.section)).toEqual([
      'key_contact',
    ]);
  });
});

describe('approval authority', () => {
  it('lets a senior leader approve up to the delegated limit', () => {
    expect(approvalAuthority(['senior_leader'], 500_000, 500_000)).toEqual({
      allowed: true,
      basis: 'Senior leader approval: budget £5,000.00, within the delegated limit of £5,000.00',
    });
  });

  it('sends dearer plans to a governor', () => {
    const leader = approvalAuthority(['senior_leader'], 500_001, 500_000);
    const governor = approvalAuthority(['governor'], 500_001, 500_000);

    expect(leader).toEqual({
      allowed: false,
      reason:
        "This plan's budget of £5,000.01 is above the delegated limit of £5,000.00, so a governor must approve it.",
    });
    expect(governor).toEqual({
      allowed: true,
      basis: 'Governor approval: budget £5,000.01, above the delegated limit',
    });
  });

  it('delegates nothing when no limit is set', () => {
    expect(approvalAuthority(['senior_leader'], 100, null).allowed).toBe(false);
    expect(approvalAuthority(['governor'], 100, null).allowed).toBe(true);
    expect(approvalAuthority(['staff'], 100, 500_000).allowed).toBe(false);
  });
});

describe('plan details form', () => {
  const blank: PlanDetailsInput = {
    title: 'Mentoring',
    improvementPriorityId: '',
    alignment: '',
    audienceRule: '',
    startDate: { day: '', month: '', year: '' },
    endDate: { day: '', month: '', year: '' },
    budget: '',
    staffHours: '',
    keyContact: '',
    responsibleLeader: '',
    evaluationStrategy: '',
  };
  const context = { today: '2026-12-04', validPriorityIds: [7], saved: null };

  it('lets a draft be saved with most answers missing', () => {
    const read = readPlanDetails(blank, context);

    expect(read).toMatchObject({ ok: true, details: { title: 'Mentoring', budget_pence: null } });
  });

  it.each([
    [{ budget: '-50' }, 'budget', 'Budget must be £0 or more. Remove the minus sign'],
    [
      { budget: '12.345' },
      'budget',
      'Budget must have no more than 2 decimal places, like 5,000.50',
    ],
    [{ budget: 'lots' }, 'budget', 'Budget must be an amount in pounds, like 5,000 or 5,000.50'],
    [{ staffHours: '2.5' }, 'staffHours', 'Staff time must be a whole number of hours, like 40'],
    [{ staffHours: '-3' }, 'staffHours', 'Staff time must be 0 hours or more'],
    [
      { improvementPriorityId: '99' },
      'improvementPriorityId',
      'Select a priority from this school’s improvement plan',
    ],
    [
      { startDate: { day: '1', month: '9', year: '2026' } },
      'startDate-day',
      'Start date must be today or in the future',
    ],
    [
      {
        startDate: { day: '1', month: '3', year: '2027' },
        endDate: { day: '1', month: '2', year: '2027' },
      },
      'endDate-day',
      'End date must be the same as or after the start date',
    ],
  ])('refuses %o', (changes, field, text) => {
    const read = readPlanDetails({ ...blank, ...changes }, context);

    expect(read).toEqual({ ok: false, errors: expect.arrayContaining([{ field, text }]) });
  });

  it('keeps a saved start date that has since passed', () => {
    const first = readPlanDetails(blank, context);
    if (!first.ok) throw new Error('The blank plan should read');
    const saved = { ...first.details, start_date: '2026-09-01' };
    const read = readPlanDetails(
      { ...blank, startDate: { day: '1', month: '9', year: '2026' } },
      { ...context, saved },
    );

    expect(read.ok).toBe(true);
  });

  it('reads money and hours', () => {
    const read = readPlanDetails({ ...blank, budget: '£4,500.50', staffHours: '1,200' }, context);

    expect(read).toMatchObject({ ok: true, details: { budget_pence: 450_050, staff_hours: 1200 } });
  });
});

describe('comparing versions', () => {
  it('lists changed fields, and outcomes added and removed', () => {
    const before = {
      fields: [
        { label: 'Budget', value: '£4,000.00' },
        { label: 'Key contact', value: 'Ms Patel' },
      ],
      outcomes: ['Attendance to 93%'],
      outputs: ['30 sessions'],
    };
    const after = {
      fields: [
        { label: 'Budget', value: '£5,000.00' },
        { label: 'Key contact', value: 'Ms Patel' },
      ],
      outcomes: ['Attendance to 94%'],
      outputs: ['30 sessions'],
    };

    expect(comparePlanVersions(before, after)).toEqual([
      { label: 'Budget', before: '£4,000.00', after: '£5,000.00' },
      { label: 'Outcome removed', before: 'Attendance to 93%', after: '' },
      { label: 'Outcome added', before: '', after: 'Attendance to 94%' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkAudienceRule } from './need-audience.js';
import {
  checkNeedDetails,
  checkNeedStatus,
  emptyNeedForm,
  type NeedFormInput,
} from './need-form.js';

// The parsed tree of `disadvantaged and year = 9`, as the need stores it.
const YEAR_9_DISADVANTAGED_TREE = JSON.stringify({
  kind: 'and',
  operands: [
    { kind: 'flag', field: 'disadvantaged' },
    { kind: 'compare', field: 'year', operator: '=', value: 9 },
  ],
});

const VALID: NeedFormInput = {
  title: ' Low attendance ',
  description: 'Disadvantaged pupils attend less.',
  audience: '  disadvantaged and year = 9  ',
  priority: 'high',
  improvementPriorityId: '7',
  status: 'identified',
};

describe('checkNeedDetails', () => {
  it('returns the details to store', () => {
    expect(checkNeedDetails(VALID, new Set([7]))).toEqual({
      ok: true,
      details: {
        title: 'Low attendance',
        description: 'Disadvantaged pupils attend less.',
        audienceRule: 'disadvantaged and year = 9',
        audienceRuleTree: YEAR_9_DISADVANTAGED_TREE,
        priority: 'high',
        improvementPriorityId: 7,
      },
    });
  });

  it('stores no rule for an empty audience', () => {
    const result = checkNeedDetails({ ...VALID, audience: '   ' }, new Set([7]));

    expect(result).toMatchObject({ ok: true, details: { audienceRule: null } });
  });

  it('accepts no improvement priority', () => {
    const result = checkNeedDetails({ ...VALID, improvementPriorityId: 'none' }, new Set());

    expect(result).toMatchObject({ ok: true, details: { improvementPriorityId: null } });
  });

  it('lists every problem in form order', () => {
    const result = checkNeedDetails(emptyNeedForm(), new Set([7]));

    expect(result).toEqual({
      ok: false,
      errors: [
        { text: 'Enter a title for the need', href: '#title' },
        { text: 'Enter a description of the need', href: '#description' },
        { text: 'Select how high a priority the need is', href: '#priority' },
        {
          text: 'Select the improvement priority the need serves, or select that it serves none of them',
          href: '#improvementPriorityId',
        },
      ],
    });
  });

  it.each(['8', '0', '07', '7.0', '-7', 'abc'])('rejects priority id %j', (typed) => {
    const result = checkNeedDetails({ ...VALID, improvementPriorityId: typed }, new Set([7]));

    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ href: '#improvementPriorityId' })],
    });
  });

  it.each([
    ['title', 121, 'Title must be 120 characters or fewer'],
    ['description', 5001, 'Description must be 5,000 characters or fewer'],
    ['audience', 1001, 'The pupils the need concerns must be 1,000 characters or fewer'],
  ] as const)('limits %s', (field, length, message) => {
    const result = checkNeedDetails({ ...VALID, [field]: 'x'.repeat(length) }, new Set([7]));

    expect(result).toEqual({ ok: false, errors: [{ text: message, href: `#${field}` }] });
  });

  it.each(['urgent', 'HIGH', ''])('rejects priority %j', (priority) => {
    expect(checkNeedDetails({ ...VALID, priority }, new Set([7])).ok).toBe(false);
  });
});

describe('checkNeedStatus', () => {
  it.each(['identified', 'planned', 'being_addressed', 'met', 'no_longer_priority'])(
    'accepts %s',
    (status) => {
      expect(checkNeedStatus(status)).toEqual({ ok: true, status });
    },
  );

  it.each(['', 'closed', 'Met'])('rejects %j', (status) => {
    expect(checkNeedStatus(status)).toEqual({
      ok: false,
      error: { text: 'Select the status of the need', href: '#status' },
    });
  });
});

describe('checkAudienceRule', () => {
  it.each([
    ['', { ok: true, text: null, tree: null }],
    ['  \n ', { ok: true, text: null, tree: null }],
  ])('checks %j', (typed, expected) => {
    expect(checkAudienceRule(typed)).toEqual(expected);
  });

  it('keeps the rule as typed with its parsed tree', () => {
    expect(checkAudienceRule(' disadvantaged and year = 9 ')).toEqual({
      ok: true,
      text: 'disadvantaged and year = 9',
      tree: YEAR_9_DISADVANTAGED_TREE,
    });
  });

  it('explains a rule that does not parse, with its position and fix', () => {
    const result = checkAudienceRule('disadvantaged and attendence < 90%');

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/at character 19.*attendance/);
  });
});

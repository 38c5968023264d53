import { describe, expect, it } from 'vitest';
import { listChanges, summariseNeedChanges } from './need-model.js';

describe('listChanges', () => {
  const before = { title: 'A', priority: 'high', reasons: ['new_problem'], id: 3 };

  it('lists changed fields in order', () => {
    expect(listChanges(before, { priority: 'low', title: 'B' })).toEqual([
      { field: 'priority', from: 'high', to: 'low' },
      { field: 'title', from: 'A', to: 'B' },
    ]);
  });

  it('ignores unchanged and absent fields', () => {
    expect(listChanges(before, { title: 'A', reasons: ['new_problem'] })).toEqual([]);
  });

  it('compares arrays by items in order', () => {
    expect(listChanges(before, { reasons: ['new_problem', 're_engagement'] })).toEqual([
      { field: 'reasons', from: ['new_problem'], to: ['new_problem', 're_engagement'] },
    ]);
  });

  it('tells null from empty text', () => {
    expect(listChanges({ rule: null as string | null }, { rule: '' })).toEqual([
      { field: 'rule', from: null, to: '' },
    ]);
  });
});

describe('summariseNeedChanges', () => {
  it.each([
    [['status'], 'Changed status'],
    [['title', 'priority'], 'Changed title and priority'],
    [
      ['title', 'audienceRule', 'improvementPriorityId'],
      'Changed title, pupils it concerns and improvement priority',
    ],
  ])('summarises %j', (fields, summary) => {
    const changes = fields.map((field) => ({ field, from: null, to: 'x' }));
    expect(summariseNeedChanges(changes)).toBe(summary);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkPriorityDetails,
  currentAcademicYear,
  groupNeedsByPriority,
  moveInOrder,
  type ImprovementPriority,
} from './improvement-plan.js';

function priority(id: number, academicYear = 2025): ImprovementPriority {
  return {
    id,
    organisationId: 1,
    academicYear,
    title: `Priority ${id}`,
    description: '',
    position: id,
    createdAt: '2025-09-01T00:00:00.000Z',
    retiredAt: null,
  };
}

describe('currentAcademicYear', () => {
  it.each([
    ['2025-08-31', 2024],
    ['2025-09-01', 2025],
    ['2026-01-15', 2025],
  ])('places %s in %i', (today, year) => {
    expect(currentAcademicYear(today)).toBe(year);
  });
});

describe('moveInOrder', () => {
  it.each([
    [3, 'up', [1, 3, 2]],
    [1, 'down', [2, 1, 3]],
    [1, 'up', [1, 2, 3]],
    [3, 'down', [1, 2, 3]],
  ] as const)('moves %i %s', (id, direction, order) => {
    expect(moveInOrder([1, 2, 3], id, direction)).toEqual(order);
  });

  it('leaves the input alone', () => {
    const order = [1, 2];

    moveInOrder(order, 2, 'up');

    expect(order).toEqual([1, 2]);
  });

  it('rejects an id not in the order', () => {
    expect(() => moveInOrder([1, 2], 9, 'up')).toThrow(RangeError);
  });
});

describe('groupNeedsByPriority', () => {
  it('sorts needs under priorities and keeps the rest apart', () => {
    const needs = [
      { id: 10, improvementPriorityId: 2 },
      { id: 11, improvementPriorityId: null },
      { id: 12, improvementPriorityId: 1 },
      { id: 13, improvementPriorityId: 2 },
      { id: 14, improvementPriorityId: 99 },
    ];

    const grouped = groupNeedsByPriority([priority(1), priority(2)], needs);

    expect(
      grouped.priorities.map((item) => [item.priority.id, item.needs.map((need) => need.id)]),
    ).toEqual([
      [1, [12]],
      [2, [10, 13]],
    ]);
    expect(grouped.unlinked.map((need) => need.id)).toEqual([11, 14]);
  });
});

describe('checkPriorityDetails', () => {
  it('returns trimmed details', () => {
    expect(checkPriorityDetails({ title: ' Attendance ', description: '' })).toEqual({
      ok: true,
      details: { title: 'Attendance', description: '' },
    });
  });

  it('needs a title of 200 characters or fewer', () => {
    expect(checkPriorityDetails({ title: '', description: 'x'.repeat(2001) })).toEqual({
      ok: false,
      errors: [
        { text: 'Enter the priority', href: '#title' },
        { text: 'Description must be 2,000 characters or fewer', href: '#description' },
      ],
    });
    expect(checkPriorityDetails({ title: 'x'.repeat(201), description: '' }).ok).toBe(false);
  });
});

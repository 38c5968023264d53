import { describe, expect, it } from 'vitest';
import { cycleNavigation, formatDateTime } from './views.js';

describe('date and time in UK local time', () => {
  it.each([
    ['2026-12-05T00:07:00Z', '5 December 2026 at 12:07am'],
    ['2026-12-05T12:30:00Z', '5 December 2026 at 12:30pm'],
    ['2026-07-01T08:19:00Z', '1 July 2026 at 9:19am'],
  ])('formats %s as %s', (instant, expected) => {
    expect(formatDateTime(instant)).toBe(expected);
  });
});

describe('cycle navigation', () => {
  it('links built steps to the school in the address', () => {
    const items = cycleNavigation('/schools/4/finance/pupil-premium');

    expect(items.map((item) => item.href ?? null)).toEqual([
      '/schools/4',
      '/schools/4/plans',
      '/schools/4/finance',
      null,
      null,
      null,
    ]);
    expect(items.find((item) => item.active)?.text).toBe('Finance');
  });
});

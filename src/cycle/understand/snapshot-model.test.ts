import { describe, expect, it } from 'vitest';
import { analyseGaps } from './gap-analysis.js';
import { checkSnapshotTitle, parseSavedAnalysis } from './snapshot-model.js';

describe('checkSnapshotTitle', () => {
  it.each([
    [' Spring 2025 ', { ok: true, title: 'Spring 2025' }],
    [
      '',
      {
        ok: false,
        error: { text: 'Enter a title for the saved analysis', href: '#snapshotTitle' },
      },
    ],
    [
      'x'.repeat(121),
      {
        ok: false,
        error: { text: 'Title must be 120 characters or fewer', href: '#snapshotTitle' },
      },
    ],
  ])('checks %j', (typed, expected) => {
    expect(checkSnapshotTitle(typed)).toEqual(expected);
  });
});

describe('parseSavedAnalysis', () => {
  it('reads back a stored analysis', () => {
    const analysis = analyseGaps([], 2024);

    expect(parseSavedAnalysis(JSON.stringify(analysis), 4)).toEqual(analysis);
  });

  it.each([
    ['not json', 'Saved analysis 4 is not valid JSON'],
    ['null', 'Saved analysis 4 is not a gap analysis'],
    ['{"academicYear": "2024", "groups": []}', 'Saved analysis 4 is not a gap analysis'],
  ])('rejects %j', (json, message) => {
    expect(() => parseSavedAnalysis(json, 4)).toThrow(message);
  });
});

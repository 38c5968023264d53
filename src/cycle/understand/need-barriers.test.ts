import { describe, expect, it } from 'vitest';
import {
  barrierKey,
  BARRIER_CLASSIFICATIONS,
  checkChosenBarriers,
  checkNewBarrier,
  groupOfferedBarriers,
  knownBarriers,
  STARTING_BARRIERS,
} from './need-barriers.js';

describe('starting barriers', () => {
  it('has distinct labels', () => {
    const keys = STARTING_BARRIERS.map((barrier) => barrierKey(barrier.label));

    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(BARRIER_CLASSIFICATIONS)('offers %s barriers', (classification) => {
    expect(
      STARTING_BARRIERS.filter((barrier) => barrier.classification === classification).length,
    ).toBeGreaterThanOrEqual(5);
  });
});

describe('barrierKey', () => {
  it.each([
    ['Low attendance', 'low attendance'],
    ['  LOW   attendance ', 'low attendance'],
    [
      'Teaching that does not meet these pupils’ needs',
      "teaching that does not meet these pupils' needs",
    ],
  ])('keys %j', (label, key) => {
    expect(barrierKey(label)).toBe(key);
  });
});

describe('knownBarriers', () => {
  it('adds school barriers after the list, once', () => {
    const known = knownBarriers([
      { label: 'Long bus journeys', classification: 'external' },
      { label: 'low attendance', classification: 'internal' },
      { label: 'Long  bus journeys', classification: 'external' },
    ]);

    expect(known).toHaveLength(STARTING_BARRIERS.length + 1);
    expect(known.at(-1)).toEqual({ label: 'Long bus journeys', classification: 'external' });
  });
});

describe('groupOfferedBarriers', () => {
  it('groups by class without attached ones', () => {
    const groups = groupOfferedBarriers(STARTING_BARRIERS, ['LOW ATTENDANCE']);

    expect(groups.map((group) => group.classification)).toEqual(BARRIER_CLASSIFICATIONS);
    const labels = groups.flatMap((group) => group.barriers.map((barrier) => barrier.label));
    expect(labels).not.toContain('Low attendance');
    expect(labels).toHaveLength(STARTING_BARRIERS.length - 1);
    for (const group of groups) {
      expect(
        group.barriers.every((barrier) => barrier.classification === group.classification),
      ).toBe(true);
    }
  });
});

describe('checkChosenBarriers', () => {
  const offered = [
    { label: 'Low attendance', classification: 'internal_external' as const },
    { label: 'Substance misuse', classification: 'external' as const },
  ];

  it('returns offered barriers once each', () => {
    expect(
      checkChosenBarriers(['Substance misuse', 'Low attendance', 'Substance misuse'], offered),
    ).toEqual({
      ok: true,
      barriers: [offered[1], offered[0]],
    });
  });

  it('needs one barrier', () => {
    expect(checkChosenBarriers([], offered)).toEqual({
      ok: false,
      error: { text: 'Select at least one barrier from the list', href: '#barrier' },
    });
  });

  it.each([['low attendance'], ['Made up']])('rejects %j', (label) => {
    expect(checkChosenBarriers([label], offered).ok).toBe(false);
  });
});

describe('checkNewBarrier', () => {
  const known = knownBarriers([{ label: 'Long bus journeys', classification: 'external' }]);

  it('returns the barrier and note', () => {
    expect(
      checkNewBarrier(
        { label: ' Caring for siblings ', classification: 'external', note: ' Mornings ' },
        known,
      ),
    ).toEqual({
      ok: true,
      barrier: { label: 'Caring for siblings', classification: 'external' },
      note: 'Mornings',
    });
  });

  it.each([
    ['low attendance', '“Low attendance” is already on the list. Select it from the list instead'],
    [
      'LONG BUS JOURNEYS',
      '“Long bus journeys” is already on the list. Select it from the list instead',
    ],
    ['', 'Enter the barrier'],
    ['x'.repeat(121), 'Barrier must be 120 characters or fewer'],
  ])('rejects label %j', (label, message) => {
    expect(checkNewBarrier({ label, classification: 'internal', note: '' }, known)).toEqual({
      ok: false,
      errors: [{ text: message, href: '#label' }],
    });
  });

  it('needs a class and a short note', () => {
    expect(
      checkNewBarrier({ label: 'New', classification: 'both', note: 'x'.repeat(1001) }, known),
    ).toEqual({
      ok: false,
      errors: [
        { text: 'Select where the barrier lies', href: '#classification' },
        { text: 'Note must be 1,000 characters or fewer', href: '#note' },
      ],
    });
  });
});

/**
 * Barriers to learning: why a group of pupils falls behind. Each barrier is classed by where
 * it lies: inside the school (teaching, expectations, support), outside it (home, family,
 * community), or in both. A school starts from the list below and adds its own.
 */
import type { BarrierClassification } from '../../platform/db/schema.js';
import { checkText, type FormError } from '../../platform/http/form-fields.js';

export type { BarrierClassification };

/** A barrier a need can name: its label and where it lies. */
export interface BarrierOption {
  label: string;
  classification: BarrierClassification;
}

export const BARRIER_CLASSIFICATIONS = [
  'internal',
  'internal_external',
  'external',
] as const satisfies readonly BarrierClassification[];

export const BARRIER_CLASSIFICATION_LABELS: Readonly<Record<BarrierClassification, string>> = {
  internal: 'Internal',
  internal_external: 'Internal and external',
  external: 'External',
};

export const BARRIER_CLASSIFICATION_HINTS: Readonly<Record<BarrierClassification, string>> = {
  internal: 'Lies within the school, such as teaching, expectations or support.',
  internal_external: 'Shows in school but has causes at home or in the community too.',
  external: 'Lies outside the school, such as home, family or the wider community.',
};

/**
 * Common barriers for disadvantaged pupils, offered on every need. The classes follow the
 * three columns of barriers in The Young Foundation's "Commissioning Futures: A Guide for
 * Schools" (May 2018), and the wording is our own.
 */
export const STARTING_BARRIERS: readonly BarrierOption[] = [
  { label: 'Teaching that does not meet these pupils’ needs', classification: 'internal' },
  { label: 'Weak leadership of a subject', classification: 'internal' },
  { label: 'Too little pastoral support', classification: 'internal' },
  { label: 'Bullying between pupils', classification: 'internal' },
  { label: 'Low expectations of what these pupils can achieve', classification: 'internal' },
  { label: 'Inconsistent management of behaviour', classification: 'internal' },
  { label: 'Low attendance', classification: 'internal_external' },
  { label: 'Poor behaviour', classification: 'internal_external' },
  { label: 'Weak relationship between home and school', classification: 'internal_external' },
  { label: 'Low self-esteem or confidence', classification: 'internal_external' },
  { label: 'Limited language and vocabulary on entry', classification: 'internal_external' },
  { label: 'Gaps in prior attainment', classification: 'internal_external' },
  { label: 'Low motivation or engagement in learning', classification: 'internal_external' },
  { label: 'Special educational needs not yet identified', classification: 'internal_external' },
  { label: 'Little support for learning at home', classification: 'external' },
  { label: 'No quiet place to study at home', classification: 'external' },
  { label: 'No computer or internet access at home', classification: 'external' },
  { label: 'Housing instability or frequent moves', classification: 'external' },
  { label: 'Young carer responsibilities', classification: 'external' },
  { label: 'Mental health difficulties', classification: 'external' },
  { label: 'Hunger or food poverty', classification: 'external' },
  { label: 'Limited access to enrichment and cultural experiences', classification: 'external' },
  {
    label: 'Family stress, such as bereavement, illness or domestic abuse',
    classification: 'external',
  },
  { label: 'Going missing from home or school', classification: 'external' },
  { label: 'Substance misuse', classification: 'external' },
];

export const BARRIER_LABEL_MAX_LENGTH = 120;
export const BARRIER_NOTE_MAX_LENGTH = 1000;

/**
 * Returns the key that identifies a barrier by its label: lower case, with runs of spaces made
 * one and curly apostrophes made straight. "Low  attendance" and "low attendance" share a key.
 */
export function barrierKey(label: string): string {
  return label
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
}

/** Lists the starting barriers, then the school's own barriers that are not already among them. */
export function knownBarriers(schoolOptions: readonly BarrierOption[]): BarrierOption[] {
  const known = [...STARTING_BARRIERS];
  const keys = new Set(known.map((barrier) => barrierKey(barrier.label)));
  for (const option of schoolOptions) {
    if (keys.has(barrierKey(option.label))) continue;
    keys.add(barrierKey(option.label));
    known.push(option);
  }
  return known;
}

/** Barriers of one class, for one group of checkboxes. */
export interface BarrierGroup {
  classification: BarrierClassification;
  barriers: BarrierOption[];
}

/**
 * Groups the barriers a need can still take by class, in the order of
 * `BARRIER_CLASSIFICATIONS`, leaving out those already on the need.
 */
export function groupOfferedBarriers(
  known: readonly BarrierOption[],
  attachedLabels: readonly string[],
): BarrierGroup[] {
  const attached = new Set(attachedLabels.map(barrierKey));
  return BARRIER_CLASSIFICATIONS.map((classification) => ({
    classification,
    barriers: known.filter(
      (barrier) =>
        barrier.classification === classification && !attached.has(barrierKey(barrier.label)),
    ),
  }));
}

export type ChosenBarriersCheck =
  { ok: true; barriers: BarrierOption[] } | { ok: false; error: FormError };

/**
 * Checks the barriers ticked from the list. Each must be one the form offered, matched by its
 * exact label, so a barrier added twice or changed on the way is rejected.
 */
export function checkChosenBarriers(
  chosenLabels: readonly string[],
  offered: readonly BarrierOption[],
): ChosenBarriersCheck {
  const href = '#barrier';
  if (chosenLabels.length === 0) {
    return { ok: false, error: { text: 'Select at least one barrier from the list', href } };
  }
  const barriers: BarrierOption[] = [];
  for (const label of new Set(chosenLabels)) {
    const barrier = offered.find((option) => option.label === label);
    if (barrier === undefined) {
      return {
        ok: false,
        error: {
          text: 'Select barriers from the list. The list may have changed: check it again',
          href,
        },
      };
    }
    barriers.push(barrier);
  }
  return { ok: true, barriers };
}

/** The form for a barrier that is not on the list, as typed. */
export interface NewBarrierInput {
  label: string;
  classification: string;
  note: string;
}

export type NewBarrierCheck =
  { ok: true; barrier: BarrierOption; note: string } | { ok: false; errors: FormError[] };

/**
 * Checks a barrier the school adds to its list. Its label must differ from every barrier
 * already known (by `barrierKey`), because the school should choose that one from the list.
 */
export function checkNewBarrier(
  input: NewBarrierInput,
  known: readonly BarrierOption[],
): NewBarrierCheck {
  const errors: FormError[] = [];

  const label = checkText(input.label, {
    label: 'Barrier',
    maxLength: BARRIER_LABEL_MAX_LENGTH,
    missingMessage: 'Enter the barrier',
  });
  if (!label.ok) {
    errors.push({ text: label.message, href: '#label' });
  } else {
    const existing = known.find((barrier) => barrierKey(barrier.label) === barrierKey(label.text));
    if (existing !== undefined) {
      errors.push({
        text: `“${existing.label}” is already on the list. Select it from the list instead`,
        href: '#label',
      });
    }
  }

  const classification = input.classification;
  const isClassification = (BARRIER_CLASSIFICATIONS as readonly string[]).includes(classification);
  if (!isClassification) {
    errors.push({ text: 'Select where the barrier lies', href: '#classification' });
  }

  const note = checkText(input.note, { label: 'Note', maxLength: BARRIER_NOTE_MAX_LENGTH });
  if (!note.ok) errors.push({ text: note.message, href: '#note' });

  if (errors.length > 0 || !label.ok || !note.ok || !isClassification) return { ok: false, errors };
  return {
    ok: true,
    barrier: { label: label.text, classification: classification as BarrierClassification },
    note: note.text,
  };
}

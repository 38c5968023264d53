/**
 * Proportionality: the effort a plan needs should match its value and length. A one-off
 * workshop needs a short plan; a year-long programme needs every section, including a full
 * evaluation design. Each school sets its own bands.
 */

export const PLAN_SECTIONS = [
  'outcomes',
  'alignment',
  'audience',
  'timeframe',
  'budget',
  'key_contact',
  'outputs',
  'responsible_leader',
  'evaluation_strategy',
] as const;

export type PlanSection = (typeof PLAN_SECTIONS)[number];

export const PLAN_SECTION_LABELS: Readonly<Record<PlanSection, string>> = {
  outcomes: 'Intended outcomes',
  alignment: 'Alignment with the school improvement plan',
  audience: 'Target audience',
  timeframe: 'Timeframe',
  budget: 'Budget',
  key_contact: 'Key contact',
  outputs: 'Outputs',
  responsible_leader: 'Responsible senior leader',
  evaluation_strategy: 'Evaluation strategy',
};

/**
 * Sections completed once a service has been chosen. They cannot be required before the plan
 * is approved, because no provider is chosen yet. The band shows whether they will be needed.
 */
export const AFTER_SERVICE_CHOSEN: ReadonlySet<PlanSection> = new Set([
  'responsible_leader',
  'evaluation_strategy',
]);

/** Sections every plan completes, whatever its band, because approval depends on them. */
export const ALWAYS_REQUIRED: ReadonlySet<PlanSection> = new Set([
  'outcomes',
  'audience',
  'timeframe',
  'budget',
]);

export interface ProportionalityBand {
  name: string;
  /** Highest budget in the band, in pence; null for no limit. */
  maxValuePence: number | null;
  /** Maximum timeframe in the band, in weeks; null for no limit. */
  maxWeeks: number | null;
  requiredSections: PlanSection[];
}

/** Bands a school starts with until it sets its own. */
export const DEFAULT_BANDS: readonly ProportionalityBand[] = [
  {
    name: 'Light',
    maxValuePence: 200_000,
    maxWeeks: 6,
    requiredSections: ['outcomes', 'audience', 'timeframe', 'budget', 'key_contact'],
  },
  {
    name: 'Standard',
    maxValuePence: 1_000_000,
    maxWeeks: 26,
    requiredSections: [
      'outcomes',
      'alignment',
      'audience',
      'timeframe',
      'budget',
      'key_contact',
      'responsible_leader',
      'evaluation_strategy',
    ],
  },
  {
    name: 'Full',
    maxValuePence: null,
    maxWeeks: null,
    requiredSections: [...PLAN_SECTIONS],
  },
];

/** Whole weeks from start to end, counting a part week as a week; both days included. */
export function durationInWeeks(startDate: string, endDate: string): number {
  const days =
    (Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000 + 1;
  return Math.max(1, Math.ceil(days / 7));
}

/**
 * Finds the band a plan falls in: the first band whose value and duration limits it stays within.
 * A plan without a budget or dates is held to the last, most demanding band until they are
 * given, so leaving them out never makes a plan lighter.
 */
export function bandForPlan(
  bands: readonly ProportionalityBand[],
  budgetPence: number | null,
  startDate: string | null,
  endDate: string | null,
): { band: ProportionalityBand; provisional: boolean } {
  const last = bands[bands.length - 1];
  if (last === undefined) throw new Error('A school must have at least one proportionality band');
  if (budgetPence === null || startDate === null || endDate === null) {
    return { band: last, provisional: true };
  }
  const weeks = durationInWeeks(startDate, endDate);
  const band =
    bands.find(
      (candidate) =>
        (candidate.maxValuePence === null || budgetPence <= candidate.maxValuePence) &&
        (candidate.maxWeeks === null || weeks <= candidate.maxWeeks),
    ) ?? last;
  return { band, provisional: false };
}

/** Sections a band requires, with those every plan needs, in the plan's order. */
export function requiredSectionsOf(band: ProportionalityBand): PlanSection[] {
  return PLAN_SECTIONS.filter(
    (section) => ALWAYS_REQUIRED.has(section) || band.requiredSections.includes(section),
  );
}

export type BandsInput = Array<{
  name: string;
  maxValue: string;
  maxWeeks: string;
  requiredSections: string[];
}>;

/**
 * Checks bands a school typed: names given, limits rising from band to band, the last band
 * open-ended so every plan has a band. Limits arrive already parsed to pence and weeks.
 */
export function checkBands(
  bands: ReadonlyArray<{
    name: string;
    maxValuePence: number | null;
    maxWeeks: number | null;
    requiredSections: string[];
  }>,
): { field: string; text: string }[] {
  const errors: { field: string; text: string }[] = [];
  bands.forEach((band, index) => {
    const number = index + 1;
    if (band.name.trim() === '') {
      errors.push({ field: `band-${index}-name`, text: `Enter a name for band ${number}` });
    }
    const unknown = band.requiredSections.filter(
      (section) => !(PLAN_SECTIONS as readonly string[]).includes(section),
    );
    if (unknown.length > 0) {
      errors.push({
        field: `band-${index}-sections`,
        text: `Band ${number} names a section that does not exist: ${unknown.join(', ')}`,
      });
    }
    const previous = bands[index - 1];
    if (previous && band.maxValuePence !== null && previous.maxValuePence !== null) {
      if (band.maxValuePence <= previous.maxValuePence) {
        errors.push({
          field: `band-${index}-maxValue`,
          text: `Band ${number}'s highest value must be more than band ${index}'s`,
        });
      }
    }
    if (previous && band.maxWeeks !== null && previous.maxWeeks !== null) {
      if (band.maxWeeks <= previous.maxWeeks) {
        errors.push({
          field: `band-${index}-maxWeeks`,
          text: `Band ${number}'s longest timeframe must be more than band ${index}'s`,
        });
      }
    }
  });
  return errors;
}

/**
 * Describes the pupils a rule selects against the whole school: how many, their make-up by
 * disadvantage, SEN, EAL, sex and year group, and how many are already in other interventions.
 */
import { MINIMUM_GROUP_SIZE } from '../../understand/gap-analysis.js';
import { normaliseName, type RuleFacts } from './rule-evaluation.js';

/** One group in the make-up: its pupils among those selected and in the whole school. */
export interface MakeUpRow {
  /** For example `disadvantaged`, `female` or `year_7`. */
  key: string;
  label: string;
  selected: number;
  /** Proportion of the selected pupils, from 0 to 1; null when no pupil is selected. */
  selectedShare: number | null;
  school: number;
  /** Proportion of all pupils, from 0 to 1; null when there are no pupils. */
  schoolShare: number | null;
}

export interface MakeUpSection {
  heading: string;
  rows: MakeUpRow[];
}

/** Selected pupils enrolled in one other intervention. */
export interface InterventionOverlap {
  name: string;
  pupils: number;
}

export interface SelectionSummary {
  selected: number;
  pupils: number;
  /** Proportion of all pupils selected, from 0 to 1; null when there are no pupils. */
  share: number | null;
  /**
   * True when from 1 to `MINIMUM_GROUP_SIZE` − 1 pupils are selected. The make-up and the
   * intervention figures are then withheld (empty and zero), because for so few pupils they
   * would describe individuals, as the gap analysis's suppression also avoids.
   */
  withheld: boolean;
  makeUp: MakeUpSection[];
  /** Selected pupils in at least one other intervention. */
  inAnyIntervention: number;
  /** Selected pupils in each other intervention, most first, then by name. */
  interventions: InterventionOverlap[];
}

/**
 * Summarises `selected` against `all`, the school's pupils in the same year, of which
 * `selected` is a subset. Group rows follow the definitions of `buildRuleFacts`: SEN is SEN
 * support or an EHC plan, and year groups are those present in the school, in school order.
 */
export function summariseSelection(
  selected: readonly RuleFacts[],
  all: readonly RuleFacts[],
): SelectionSummary {
  const count = selected.length;
  const base = { selected: count, pupils: all.length, share: share(count, all.length) };
  if (count > 0 && count < MINIMUM_GROUP_SIZE) {
    return { ...base, withheld: true, makeUp: [], inAnyIntervention: 0, interventions: [] };
  }

  return {
    ...base,
    withheld: false,
    makeUp: [
      {
        heading: 'Characteristics',
        rows: [
          row('disadvantaged', 'Disadvantaged', (pupil) => pupil.flags.disadvantaged === true),
          row('sen', 'SEN (support or EHC plan)', (pupil) => pupil.flags.sen === true),
          row('eal', 'English as an additional language', (pupil) => pupil.flags.eal === true),
        ].map((definition) => makeUpRow(definition, selected, all)),
      },
      { heading: 'Sex', rows: sexRows(selected, all) },
      { heading: 'Year group', rows: yearGroupRows(selected, all) },
    ],
    inAnyIntervention: selected.filter((pupil) => pupil.interventions.length > 0).length,
    interventions: interventionOverlaps(selected),
  };
}

interface RowDefinition {
  key: string;
  label: string;
  includes: (pupil: RuleFacts) => boolean;
}

function row(key: string, label: string, includes: (pupil: RuleFacts) => boolean): RowDefinition {
  return { key, label, includes };
}

function makeUpRow(
  definition: RowDefinition,
  selected: readonly RuleFacts[],
  all: readonly RuleFacts[],
): MakeUpRow {
  const inSelection = selected.filter(definition.includes).length;
  const inSchool = all.filter(definition.includes).length;
  return {
    key: definition.key,
    label: definition.label,
    selected: inSelection,
    selectedShare: share(inSelection, selected.length),
    school: inSchool,
    schoolShare: share(inSchool, all.length),
  };
}

/** Builds rows for female and male, and "Not recorded" when a pupil has no sex recorded. */
function sexRows(selected: readonly RuleFacts[], all: readonly RuleFacts[]): MakeUpRow[] {
  const definitions = [
    row('female', 'Female', (pupil) => pupil.sex === 'female'),
    row('male', 'Male', (pupil) => pupil.sex === 'male'),
  ];
  if (all.some((pupil) => pupil.sex === null)) {
    definitions.push(row('sex_not_recorded', 'Not recorded', (pupil) => pupil.sex === null));
  }
  return definitions.map((definition) => makeUpRow(definition, selected, all));
}

/** Builds one row per year group in the school, and "No year group" when a pupil has none. */
function yearGroupRows(selected: readonly RuleFacts[], all: readonly RuleFacts[]): MakeUpRow[] {
  const groups = new Map<string, { label: string; order: number }>();
  for (const pupil of all) {
    if (pupil.yearGroup !== null) groups.set(pupil.yearGroup.key, pupil.yearGroup);
  }
  const definitions = [...groups]
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([key, group]) => row(key, group.label, (pupil) => pupil.yearGroup?.key === key));
  if (all.some((pupil) => pupil.yearGroup === null)) {
    definitions.push(row('no_year_group', 'No year group', (pupil) => pupil.yearGroup === null));
  }
  return definitions.map((definition) => makeUpRow(definition, selected, all));
}

/** Counts selected pupils per intervention, grouping names that differ only in case or spacing. */
function interventionOverlaps(selected: readonly RuleFacts[]): InterventionOverlap[] {
  const byName = new Map<string, InterventionOverlap>();
  for (const pupil of selected) {
    for (const name of pupil.interventions) {
      const key = normaliseName(name);
      const overlap = byName.get(key) ?? { name: name.trim(), pupils: 0 };
      overlap.pupils += 1;
      byName.set(key, overlap);
    }
  }
  return [...byName.values()].sort(
    (a, b) => b.pupils - a.pupils || a.name.localeCompare(b.name, 'en-GB'),
  );
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

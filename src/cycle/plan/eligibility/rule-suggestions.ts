/**
 * Suggestions for a word a rule does not know: a synonym people use for a field, or the field,
 * result name or keyword nearest in spelling.
 */
import {
  findResultAlias,
  findRuleField,
  KEYWORDS,
  RESULT_ALIASES,
  RULE_FIELDS,
} from './rule-fields.js';

/**
 * Words people use for a field that the rule language names differently, mapped to what to
 * write instead. They are only suggested in an error message, never accepted, so that each
 * rule has one way of being written.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  pp: 'pupil_premium',
  fsm6: 'ever6_fsm',
  ever6: 'ever6_fsm',
  ever_6: 'ever6_fsm',
  ever_6_fsm: 'ever6_fsm',
  lac: 'looked_after',
  cla: 'looked_after',
  cla_lac: 'looked_after',
  in_care: 'looked_after',
  pla: 'previously_looked_after',
  adopted: 'previously_looked_after',
  forces: 'service_child',
  send: 'sen',
  ehcp: 'ehc_plan',
  gender: 'sex',
  girls: 'sex = female',
  boys: 'sex = male',
  female: 'sex = female',
  male: 'sex = male',
  year_group: 'year',
  yeargroup: 'year',
  nc_year: 'year',
  yr: 'year',
  ethnic_group: 'ethnicity',
  attendance_rate: 'attendance',
  absence_rate: 'absence',
  pa: 'persistent_absence',
  suspension: 'suspensions',
  exclusions: 'suspensions',
  excluded: 'permanently_excluded',
};

/**
 * Suggests what the writer of an unknown word probably meant: a known synonym, or the field,
 * result alias or keyword nearest in spelling. Returns null when nothing is close.
 */
export function suggestName(word: string): string | null {
  const lower = word.toLowerCase();
  const synonym = SYNONYMS[lower] ?? SYNONYMS[lower.replaceAll('-', '_')];
  if (synonym !== undefined) return synonym;
  const underscored = lower.replaceAll('-', '_');
  if (findRuleField(underscored) || findResultAlias(underscored)) return underscored;

  const candidates = [
    ...RULE_FIELDS.map((field) => field.name),
    ...RESULT_ALIASES.map((alias) => alias.name),
    ...KEYWORDS,
  ];
  // One slip for a short word, two for a longer one: more than that and the suggestion is
  // more likely to mislead than help.
  const allowed = lower.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate);
    if (distance <= allowed && (best === null || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name ?? null;
}

/**
 * Counts the insertions, deletions, substitutions and swaps of two neighbouring letters that
 * turn `a` into `b` (the optimal string alignment distance).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  // Row 0 and column 0 hold the cost of building a prefix from nothing: its length.
  const distances: number[][] = Array.from({ length: rows }, () =>
    new Array<number>(columns).fill(0),
  );
  for (let row = 0; row < rows; row++) setCell(distances, row, 0, row);
  for (let column = 0; column < columns; column++) setCell(distances, 0, column, column);
  const at = (row: number, column: number): number => distances[row]?.[column] ?? 0;

  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let distance = Math.min(
        at(row - 1, column) + 1,
        at(row, column - 1) + 1,
        at(row - 1, column - 1) + cost,
      );
      const swapped =
        row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1];
      if (swapped) distance = Math.min(distance, at(row - 2, column - 2) + 1);
      setCell(distances, row, column, distance);
    }
  }
  return at(a.length, b.length);
}

function setCell(table: number[][], row: number, column: number, value: number): void {
  const line = table[row];
  if (line) line[column] = value;
}

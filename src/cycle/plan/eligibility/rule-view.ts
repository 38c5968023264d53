/**
 * View models of the rule pages: the result of checking a rule (a status sentence, the make-up
 * table and other interventions) and the wording of parse errors, with figures formatted.
 */
import { MINIMUM_GROUP_SIZE } from '../../understand/gap-analysis.js';
import type { SelectionSummary } from './rule-summary.js';
import type { RuleError } from './rule-tokens.js';

export interface MakeUpRowView {
  label: string;
  selected: number;
  selectedShare: string;
  school: number;
  schoolShare: string;
}

/** Everything the `ruleResult` macro shows. */
export interface RuleResultView {
  state: 'prompt' | 'error' | 'no-data' | 'selected';
  /** One sentence, read out by screen readers when the preview changes. */
  status: string;
  /** The text around a parse error, with the part at fault apart, for highlighting. */
  snippet: { before: string; at: string; after: string } | null;
  /** The rule as the app read it, in canonical form. */
  canonical: string | null;
  withheld: boolean;
  minimumGroupSize: number;
  makeUp: { heading: string; rows: MakeUpRowView[] }[];
  interventions: {
    /** False while enrolments are not recorded, so that "none" is not read as a fact. */
    recorded: boolean;
    inAny: number;
    inAnyShare: string;
    rows: { name: string; pupils: number }[];
  };
}

const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** Characters of the rule shown on each side of an error. */
const SNIPPET_CONTEXT = 40;

/**
 * Words a parse error for the error summary and the field: the problem, where it is, and the
 * fix. `text` is the rule as typed; a blank rule has no position worth giving.
 */
export function describeRuleError(error: RuleError, text: string): string {
  const where = text.trim() === '' ? '' : `, at character ${wholeNumber.format(error.position)}`;
  return `${error.message}${where}. ${error.fix}`;
}

export function promptResult(): RuleResultView {
  return emptyResult('prompt', 'Write a rule to see how many pupils it selects.');
}

export function errorResult(error: RuleError, text: string): RuleResultView {
  return {
    ...emptyResult('error', `The rule has a problem: ${describeRuleError(error, text)}`),
    snippet: text.trim() === '' ? null : errorSnippet(error, text),
  };
}

export function noDataResult(canonical: string): RuleResultView {
  return {
    ...emptyResult(
      'no-data',
      'There is no pupil data for this school yet, so the rule selects no pupils.',
    ),
    canonical,
  };
}

/**
 * Describes the pupils a rule selected in one academic year. `interventionsRecorded` states
 * whether the caller passed real enrolments, so that an empty overlap is not shown as a finding.
 */
export function selectionResult(
  canonical: string,
  summary: SelectionSummary,
  yearLabel: string,
  interventionsRecorded: boolean,
): RuleResultView {
  return {
    ...emptyResult('selected', selectionStatus(summary, yearLabel)),
    canonical,
    withheld: summary.withheld,
    makeUp: summary.makeUp.map((section) => ({
      heading: section.heading,
      rows: section.rows.map((row) => ({
        label: row.label,
        selected: row.selected,
        selectedShare: formatShare(row.selectedShare),
        school: row.school,
        schoolShare: formatShare(row.schoolShare),
      })),
    })),
    interventions: {
      recorded: interventionsRecorded,
      inAny: summary.inAnyIntervention,
      inAnyShare: formatShare(
        summary.selected === 0 ? null : summary.inAnyIntervention / summary.selected,
      ),
      rows: summary.interventions,
    },
  };
}

function selectionStatus(summary: SelectionSummary, yearLabel: string): string {
  const total = wholeNumber.format(summary.pupils);
  if (summary.selected === 0) {
    return `No pupils of the ${total} on roll in ${yearLabel} match this rule.`;
  }
  const count = wholeNumber.format(summary.selected);
  const pupils = summary.selected === 1 ? 'pupil' : 'pupils';
  const verb = summary.selected === 1 ? 'matches' : 'match';
  return `${count} ${pupils} of ${total} on roll in ${yearLabel} ${verb} this rule (${formatShare(summary.share)}).`;
}

/** Cuts the rule around the error, keeping positions: line breaks become spaces. */
function errorSnippet(error: RuleError, text: string): RuleResultView['snippet'] {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  const start = error.position - 1;
  const end = start + error.length;
  const from = Math.max(0, start - SNIPPET_CONTEXT);
  const to = Math.min(flat.length, end + SNIPPET_CONTEXT);
  return {
    before: `${from > 0 ? '…' : ''}${flat.slice(from, start)}`,
    at: flat.slice(start, end),
    after: `${flat.slice(end, to)}${to < flat.length ? '…' : ''}`,
  };
}

function emptyResult(state: RuleResultView['state'], status: string): RuleResultView {
  return {
    state,
    status,
    snippet: null,
    canonical: null,
    withheld: false,
    minimumGroupSize: MINIMUM_GROUP_SIZE,
    makeUp: [],
    interventions: { recorded: false, inAny: 0, inAnyShare: '', rows: [] },
  };
}

function formatShare(share: number | null): string {
  return share === null ? 'Not available' : `${oneDecimal.format(share * 100)}%`;
}

import type { PlanVersionTable } from '../../platform/db/schema.js';
import { parsePounds } from '../finance/money.js';
import { readAudienceRule } from './audience.js';
import { parseDateParts, type DateParts } from './date-input.js';
import type { FieldError } from './smart-outcomes.js';

/** The plan's own fields as the details form sends them, exactly as typed. */
export interface PlanDetailsInput {
  title: string;
  improvementPriorityId: string;
  alignment: string;
  audienceRule: string;
  startDate: DateParts;
  endDate: DateParts;
  budget: string;
  staffHours: string;
  keyContact: string;
  responsibleLeader: string;
  evaluationStrategy: string;
}

export type PlanDetails = Pick<
  PlanVersionTable,
  | 'title'
  | 'improvement_priority_id'
  | 'alignment'
  | 'audience_rule'
  | 'audience_rule_tree'
  | 'start_date'
  | 'end_date'
  | 'budget_pence'
  | 'staff_hours'
  | 'key_contact'
  | 'responsible_leader'
  | 'evaluation_strategy'
>;

const MAX_TEXT = 5000;
const MAX_STAFF_HOURS = 100_000;

/**
 * Reads and checks the details form. Every field may be left empty while the plan is a draft;
 * what must be complete is checked on submission (`missingSections`). Dates already saved on
 * the version being changed may lie in the past (a running plan keeps its start date), but a
 * newly typed date may not.
 */
export function readPlanDetails(
  input: PlanDetailsInput,
  context: { today: string; validPriorityIds: readonly number[]; saved: PlanDetails | null },
): { ok: true; details: PlanDetails } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];

  const title = input.title.trim();
  if (title === '') errors.push({ field: 'title', text: 'Enter a title for the plan' });
  else if (title.length > 200)
    errors.push({ field: 'title', text: 'Title must be 200 characters or fewer' });

  const priorityId = readPriority(input.improvementPriorityId, context.validPriorityIds);
  if (!priorityId.ok) errors.push({ field: 'improvementPriorityId', text: priorityId.error });

  const audience = readAudienceRule(input.audienceRule);
  if (!audience.ok) errors.push({ field: 'audienceRule', text: audience.error });

  const start = readDate(input.startDate, 'startDate', 'Start date', context, 'start_date');
  const end = readDate(input.endDate, 'endDate', 'End date', context, 'end_date');
  if (!start.ok) errors.push(start.error);
  if (!end.ok) errors.push(end.error);
  if (start.ok && end.ok && start.date !== null && end.date !== null && end.date < start.date) {
    errors.push({
      field: 'endDate-day',
      text: 'End date must be the same as or after the start date',
    });
  }

  const budget = readBudget(input.budget);
  if (!budget.ok) errors.push({ field: 'budget', text: budget.error });

  const hours = readStaffHours(input.staffHours);
  if (!hours.ok) errors.push({ field: 'staffHours', text: hours.error });

  const texts = {
    alignment: input.alignment.trim(),
    keyContact: input.keyContact.trim(),
    responsibleLeader: input.responsibleLeader.trim(),
    evaluationStrategy: input.evaluationStrategy.trim(),
  };
  for (const [field, value] of Object.entries(texts)) {
    if (value.length > MAX_TEXT)
      errors.push({
        field,
        text: `This answer must be ${MAX_TEXT.toLocaleString('en-GB')} characters or fewer`,
      });
  }

  if (
    errors.length > 0 ||
    !priorityId.ok ||
    !audience.ok ||
    !start.ok ||
    !end.ok ||
    !budget.ok ||
    !hours.ok
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    details: {
      title,
      improvement_priority_id: priorityId.value,
      alignment: texts.alignment,
      audience_rule: audience.text,
      audience_rule_tree: audience.tree,
      start_date: start.date,
      end_date: end.date,
      budget_pence: budget.pence,
      staff_hours: hours.value,
      key_contact: texts.keyContact,
      responsible_leader: texts.responsibleLeader,
      evaluation_strategy: texts.evaluationStrategy,
    },
  };
}

function readPriority(
  typed: string,
  validIds: readonly number[],
): { ok: true; value: number | null } | { ok: false; error: string } {
  if (typed.trim() === '') return { ok: true, value: null };
  const id = Number(typed);
  return validIds.includes(id)
    ? { ok: true, value: id }
    : { ok: false, error: 'Select a priority from this school’s improvement plan' };
}

function readDate(
  parts: DateParts,
  field: string,
  label: string,
  context: { today: string; saved: PlanDetails | null },
  column: 'start_date' | 'end_date',
): { ok: true; date: string | null } | { ok: false; error: FieldError } {
  const parsed = parseDateParts(parts, label);
  if (!parsed.ok)
    return { ok: false, error: { field: `${field}-${parsed.part}`, text: parsed.error } };
  const unchanged = parsed.date !== null && parsed.date === context.saved?.[column];
  if (parsed.date !== null && parsed.date < context.today && !unchanged) {
    return {
      ok: false,
      error: { field: `${field}-day`, text: `${label} must be today or in the future` },
    };
  }
  return { ok: true, date: parsed.date };
}

/**
 * Reads an amount in pounds into pence, for the plan's budget or another field named by
 * `label`: no more than two decimal places, not negative, no more than £10,000,000. An empty
 * field gives null, since a draft may leave it out.
 */
export function readBudget(
  typed: string,
  label = 'Budget',
): { ok: true; pence: number | null } | { ok: false; error: string } {
  if (typed.trim() === '') return { ok: true, pence: null };
  return parsePounds(typed, { label, missingMessage: `Enter the ${label.toLowerCase()}` });
}

function readStaffHours(
  typed: string,
): { ok: true; value: number | null } | { ok: false; error: string } {
  const text = typed.trim().replaceAll(',', '');
  if (text === '') return { ok: true, value: null };
  if (text.startsWith('-')) return { ok: false, error: 'Staff time must be 0 hours or more' };
  if (!/^\d+$/.test(text))
    return { ok: false, error: 'Staff time must be a whole number of hours, like 40' };
  const value = Number(text);
  if (value > MAX_STAFF_HOURS) {
    return {
      ok: false,
      error: `Staff time must be ${MAX_STAFF_HOURS.toLocaleString('en-GB')} hours or fewer. Check for extra zeros`,
    };
  }
  return { ok: true, value };
}

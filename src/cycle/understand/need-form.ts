/**
 * Checks the need form: the details of a need (title, description, the pupils it concerns,
 * priority and the improvement priority it serves) and its status. Each check returns either
 * the values to store or the messages for the GOV.UK error summary, never both.
 */
import type { NeedPriority, NeedStatus } from '../../platform/db/schema.js';
import { checkText, type FormError } from '../../platform/http/form-fields.js';
import { checkAudienceRule } from './need-audience.js';
import { isNeedPriority, isNeedStatus } from './need-model.js';

export const NEED_TITLE_MAX_LENGTH = 120;
export const NEED_DESCRIPTION_MAX_LENGTH = 5000;
export const NEED_AUDIENCE_MAX_LENGTH = 1000;

/** The need form's fields as typed. A field the form did not send is the empty string. */
export interface NeedFormInput {
  title: string;
  description: string;
  audience: string;
  priority: string;
  /** A priority id, or `none` when the need serves none of the improvement priorities. */
  improvementPriorityId: string;
  status: string;
}

/** The need's details as stored. */
export interface NeedDetails {
  title: string;
  description: string;
  audienceRule: string | null;
  audienceRuleTree: string | null;
  priority: NeedPriority;
  improvementPriorityId: number | null;
}

export type NeedDetailsCheck =
  { ok: true; details: NeedDetails } | { ok: false; errors: FormError[] };

export type NeedStatusCheck = { ok: true; status: NeedStatus } | { ok: false; error: FormError };

/** Returns the empty form, with status "identified" chosen as a new need's usual start. */
export function emptyNeedForm(): NeedFormInput {
  return {
    title: '',
    description: '',
    audience: '',
    priority: '',
    improvementPriorityId: '',
    status: 'identified',
  };
}

/**
 * Checks a need's details. `offeredPriorityIds` are the improvement priorities the form
 * offered. Any other id is rejected, so a need never links to another school's priority or
 * to one retired before the form was sent.
 */
export function checkNeedDetails(
  input: NeedFormInput,
  offeredPriorityIds: ReadonlySet<number>,
): NeedDetailsCheck {
  const errors: FormError[] = [];

  const title = checkText(input.title, {
    label: 'Title',
    maxLength: NEED_TITLE_MAX_LENGTH,
    missingMessage: 'Enter a title for the need',
  });
  if (!title.ok) errors.push({ text: title.message, href: '#title' });

  const description = checkText(input.description, {
    label: 'Description',
    maxLength: NEED_DESCRIPTION_MAX_LENGTH,
    missingMessage: 'Enter a description of the need',
  });
  if (!description.ok) errors.push({ text: description.message, href: '#description' });

  const audienceLength = checkText(input.audience, {
    label: 'The pupils the need concerns',
    maxLength: NEED_AUDIENCE_MAX_LENGTH,
  });
  const audience = audienceLength.ok ? checkAudienceRule(input.audience) : null;
  if (!audienceLength.ok) errors.push({ text: audienceLength.message, href: '#audience' });
  else if (audience !== null && !audience.ok)
    errors.push({ text: audience.message, href: '#audience' });

  const priority = input.priority;
  if (!isNeedPriority(priority)) {
    errors.push({ text: 'Select how high a priority the need is', href: '#priority' });
  }

  const improvementPriorityId = readPriorityId(input.improvementPriorityId, offeredPriorityIds);
  if (improvementPriorityId === 'invalid') {
    errors.push({
      text: 'Select the improvement priority the need serves, or select that it serves none of them',
      href: '#improvementPriorityId',
    });
  }

  if (
    errors.length > 0 ||
    !title.ok ||
    !description.ok ||
    audience === null ||
    !audience.ok ||
    !isNeedPriority(priority) ||
    improvementPriorityId === 'invalid'
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    details: {
      title: title.text,
      description: description.text,
      audienceRule: audience.text,
      audienceRuleTree: audience.tree,
      priority,
      improvementPriorityId,
    },
  };
}

/** Checks the status question. */
export function checkNeedStatus(typed: string): NeedStatusCheck {
  if (isNeedStatus(typed)) return { ok: true, status: typed };
  return { ok: false, error: { text: 'Select the status of the need', href: '#status' } };
}

/** The value of the "serves none of them" answer to the improvement priority question. */
export const NO_IMPROVEMENT_PRIORITY = 'none';

function readPriorityId(typed: string, offered: ReadonlySet<number>): number | null | 'invalid' {
  if (typed === NO_IMPROVEMENT_PRIORITY) return null;
  if (!/^[1-9]\d{0,9}$/.test(typed)) return 'invalid';
  const id = Number(typed);
  return offered.has(id) ? id : 'invalid';
}

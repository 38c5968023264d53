import { readAudienceRule } from '../plan/audience.js';

/**
 * The pupils a need concerns, written as an eligibility rule such as
 * `disadvantaged and year in (7, 8)`. A need stores the rule as typed and its parsed tree as JSON.
 */

/** Outcome of checking a rule: the text and tree to store, or a message for the error summary. */
export type AudienceRuleCheck =
  { ok: true; text: string | null; tree: string | null } | { ok: false; message: string };

/**
 * Checks an eligibility rule as typed. Spaces around the rule are ignored, and an empty rule
 * is stored as null, meaning the need names no particular pupils yet.
 */
export function checkAudienceRule(text: string): AudienceRuleCheck {
  const read = readAudienceRule(text);
  return read.ok ? read : { ok: false, message: read.error };
}

/**
 * The pupils a need concerns, written as an eligibility rule such as "disadvantaged pupils in
 * years 7 and 8". A need stores the rule as typed and, once rules are parsed, its tree as JSON.
 */

/** Outcome of checking a rule: the text and tree to store, or a message for the error summary. */
export type AudienceRuleCheck =
  { ok: true; text: string | null; tree: string | null } | { ok: false; message: string };

/**
 * Checks an eligibility rule as typed. Spaces around the rule are ignored, and an empty rule
 * is stored as null, meaning the need names no particular pupils yet.
 */
export function checkAudienceRule(text: string): AudienceRuleCheck {
  const rule = text.trim();
  if (rule === '') return { ok: true, text: null, tree: null };

  // TODO: accepts any text and returns no tree until the eligibility rule parser replaces this.
  return { ok: true, text: rule, tree: null };
}

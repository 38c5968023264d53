/**
 * Reads a typed eligibility rule into the text and parsed tree a plan stores.
 */
export type AudienceRuleResult =
  { ok: true; text: string | null; tree: string | null } | { ok: false; error: string };

// TODO: parse with the eligibility rule language once it lands; until then any text is kept.
export function readAudienceRule(typed: string): AudienceRuleResult {
  const text = typed.trim();
  return { ok: true, text: text === '' ? null : text, tree: null };
}

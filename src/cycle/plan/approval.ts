import type { PlanStatus } from '../../platform/db/schema.js';
import type { Role } from '../../platform/auth/permissions.js';
import { formatPence } from '../../platform/organisations/school-settings.js';

/**
 * Decision on who may approve a plan under the school's scheme of delegation. A senior leader
 * approves up to the delegated limit and a governor at any value, because governors keep the
 * authority that the limit delegates. Without a limit nothing is delegated, so a governor must
 * approve.
 */
export type ApprovalAuthority =
  { allowed: true; basis: string } | { allowed: false; reason: string };

export function approvalAuthority(
  roles: readonly Role[],
  budgetPence: number,
  delegatedLimitPence: number | null,
): ApprovalAuthority {
  const budget = formatPence(budgetPence);
  if (roles.includes('governor')) {
    const position =
      delegatedLimitPence !== null && budgetPence <= delegatedLimitPence
        ? `within the delegated limit of ${formatPence(delegatedLimitPence)}`
        : 'above the delegated limit';
    return { allowed: true, basis: `Governor approval: budget ${budget}, ${position}` };
  }
  if (!roles.includes('senior_leader')) {
    return { allowed: false, reason: 'Only a senior leader or a governor can approve plans.' };
  }
  if (delegatedLimitPence === null) {
    return {
      allowed: false,
      reason:
        'The school has not set a delegated approval limit, so a governor must approve this plan. A governor can set the limit from the school page.',
    };
  }
  if (budgetPence > delegatedLimitPence) {
    return {
      allowed: false,
      reason: `This plan's budget of ${budget} is above the delegated limit of ${formatPence(delegatedLimitPence)}, so a governor must approve it.`,
    };
  }
  return {
    allowed: true,
    basis: `Senior leader approval: budget ${budget}, within the delegated limit of ${formatPence(delegatedLimitPence)}`,
  };
}

/** Statuses in which the version's content can still change. */
export function isEditable(status: PlanStatus): boolean {
  return status === 'draft' || status === 'returned';
}

export const PLAN_STATUS_LABELS: Readonly<Record<PlanStatus, string>> = {
  draft: 'Draft',
  submitted: 'Submitted for approval',
  approved: 'Approved',
  returned: 'Returned for changes',
  superseded: 'Replaced by a later version',
};

/** GOV.UK tag colour for each status. */
export const PLAN_STATUS_TAGS: Readonly<Record<PlanStatus, string>> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  returned: 'govuk-tag--orange',
  superseded: 'govuk-tag--grey',
};

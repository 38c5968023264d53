import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { SHARE_BASIS_LABELS, type ShareBasis } from './cost-shares.js';
import type { FinancePlan } from './funding-store.js';
import type { JointShare } from './joint-shares.js';
import type { JointCommission } from './joint-store.js';
import { formatPence } from './money.js';

/** One save of a joint commission's shares, with what it replaced. */
export interface JointSave {
  leadSchool: School;
  plan: FinancePlan;
  jointCommissionId: number;
  basis: ShareBasis;
  /** The lead school's share first, then the partners'. */
  shares: readonly JointShare[];
  /** The commission before the save, or undefined when the save made the plan joint. */
  previous: JointCommission | undefined;
}

/**
 * Records a save in the lead school's trail with every share. Each partner whose share was
 * added, changed or removed gets an event in its own trail with only its own share, because a
 * school reads its trail and must not learn another partner's figures from it.
 */
export async function recordJointEvents(
  trx: Transaction<Database>,
  request: FastifyRequest,
  save: JointSave,
): Promise<void> {
  const { leadSchool, plan, jointCommissionId, basis, shares, previous } = save;
  const totalPence = shares.reduce((sum, share) => sum + share.pence, 0);
  await recordAuditEvent(trx, {
    ...auditFieldsOf(request),
    action: 'joint-commission-saved',
    organisationId: leadSchool.id,
    subjectType: 'joint commission',
    subjectId: jointCommissionId,
    details: {
      planId: plan.id,
      basis,
      totalPence,
      shares: shares.map((share) => ({
        organisationId: share.schoolId,
        weight: share.weight,
        pence: share.pence,
      })),
      summary: `${SHARE_BASIS_LABELS[basis]}: ${shares.length} schools share ${formatPence(totalPence)}`,
    },
  });

  const before = new Map((previous?.shares ?? []).slice(1).map((share) => [share.schoolId, share]));
  const after = new Map(shares.slice(1).map((share) => [share.schoolId, share]));
  const partnerEvent = {
    ...auditFieldsOf(request),
    subjectType: 'joint commission',
    subjectId: jointCommissionId,
  };
  const about = `“${plan.title}”, led by ${leadSchool.name}`;

  for (const [partnerId, share] of after) {
    const old = before.get(partnerId);
    const unchanged =
      old !== undefined &&
      old.weight === share.weight &&
      old.pence === share.pence &&
      previous?.basis === basis;
    if (unchanged) continue;
    await recordAuditEvent(trx, {
      ...partnerEvent,
      action: old ? 'joint-share-changed' : 'joint-share-added',
      organisationId: partnerId,
      details: {
        jointCommissionId,
        leadOrganisationId: leadSchool.id,
        basis,
        weight: share.weight,
        amountPence: share.pence,
        ...(old ? { fromPence: old.pence } : {}),
        summary: `Share of ${about}`,
      },
    });
  }

  for (const [partnerId, old] of before) {
    if (after.has(partnerId)) continue;
    await recordAuditEvent(trx, {
      ...partnerEvent,
      action: 'joint-share-removed',
      organisationId: partnerId,
      details: {
        jointCommissionId,
        leadOrganisationId: leadSchool.id,
        fromPence: old.pence,
        summary: `No longer shares ${about}`,
      },
    });
  }
}

/** The lead school's joint commissioning pages: what they show and how they are rendered. */
import type { FastifyReply } from 'fastify';
import type { School } from '../../platform/organisations/organisation-store.js';
import { SHARE_BASES, SHARE_BASIS_LABELS, type ShareBasis } from './cost-shares.js';
import type { FinancePlan } from './funding-store.js';
import {
  FIGURES_FIELD,
  figureField,
  figureLabel,
  formatShareFigure,
  PARTNERS_FIELD,
  type JointSchool,
  type JointShare,
} from './joint-shares.js';
import type { JointCommission } from './joint-store.js';
import type { ErrorView } from './route-support.js';

/** The basis and the schools chosen on the form's first page, carried to the later pages. */
export interface PartnerChoice {
  basis: ShareBasis;
  /** The lead school first, then the partners in the order of the candidates list. */
  schools: JointSchool[];
}

const BASIS_HINTS: Readonly<Record<ShareBasis, string>> = {
  pupils: 'Each school pays in proportion to the number of its pupils the service works with.',
  places: 'Each school pays in proportion to the places it takes on the service.',
  percentages: 'The schools agree what percentage each pays. The percentages must add up to 100%.',
  agreed_amounts:
    'The schools agree an amount each pays. The amounts must add up to the plan’s budget.',
};

export function jointUrl(school: School, plan: FinancePlan, page: string): string {
  return `/schools/${school.id}/plans/${plan.id}/joint-commission${page}`;
}

/** Says why this plan cannot be shared yet, or returns null when it can. */
export function blockedReason(
  school: School,
  plan: FinancePlan,
  candidates: readonly JointSchool[],
): string | null {
  if (candidates.length === 0) {
    return `No other school is beneath the same trust or local authority as ${school.name}, so no school can share this commission.`;
  }
  if (plan.budgetPence === null) {
    return 'Set the plan’s budget before sharing its cost. The budget is the cost the schools split.';
  }
  return null;
}

/** Rows of the shares table: each school, its figure and its share. */
export function describeJoint(joint: JointCommission) {
  return {
    basisLabel: SHARE_BASIS_LABELS[joint.basis],
    totalPence: joint.totalPence,
    updatedAt: joint.updatedAt,
    rows: joint.shares.map((share, index) => ({
      schoolName: share.schoolName,
      isLead: index === 0,
      figure: formatShareFigure(joint.basis, share.weight),
      pence: share.pence,
    })),
  };
}

export async function renderSchoolsPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  candidates: readonly JointSchool[],
  typed: { basis: string; partnerIds: readonly string[] },
  errors: ErrorView,
): Promise<string> {
  return reply.viewAsync('pages/finance-joint-schools.njk', {
    school,
    plan,
    blocked: blockedReason(school, plan, candidates),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    partnerItems: candidates.map((candidate) => ({
      value: String(candidate.id),
      text: candidate.name,
      checked: typed.partnerIds.includes(String(candidate.id)),
    })),
    basisItems: SHARE_BASES.map((basis) => ({
      value: basis,
      text: SHARE_BASIS_LABELS[basis],
      hint: { text: BASIS_HINTS[basis] },
      checked: typed.basis === basis,
    })),
    csrfToken: reply.generateCsrf(),
  });
}

export async function renderSharesPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  choice: PartnerChoice,
  typed: Readonly<Record<number, string>>,
  errors: ErrorView,
): Promise<string> {
  return reply.viewAsync('pages/finance-joint-shares.njk', {
    school,
    plan,
    basis: choice.basis,
    basisLabel: SHARE_BASIS_LABELS[choice.basis],
    partnerIds: choice.schools.slice(1).map((partner) => String(partner.id)),
    figures: choice.schools.map((each, index) => ({
      id: figureField(each.id),
      label: figureLabel(choice.basis, each.name) + (index === 0 ? ' (lead school)' : ''),
      value: typed[each.id] ?? '',
      errorMessage: errors.fieldErrors[figureField(each.id)],
    })),
    figuresError: errors.fieldErrors[FIGURES_FIELD],
    errors: errors.errorList,
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Renders the check page: each school's share to the penny, with the typed figures in hidden
 * fields so that "Save shares" sends exactly what was checked. `notice` explains why the page
 * is shown again, such as a budget that changed after the first check.
 */
export async function renderCheckPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  choice: PartnerChoice,
  typed: Readonly<Record<number, string>>,
  shares: readonly JointShare[],
  notice: string | null,
): Promise<string> {
  const partnerIds = choice.schools.slice(1).map((partner) => String(partner.id));
  const changeQuery = new URLSearchParams({ basis: choice.basis });
  for (const id of partnerIds) changeQuery.append(PARTNERS_FIELD, id);
  for (const [id, value] of Object.entries(typed))
    changeQuery.append(figureField(Number(id)), value);

  return reply.viewAsync('pages/finance-joint-check.njk', {
    school,
    plan,
    notice,
    basis: choice.basis,
    basisLabel: SHARE_BASIS_LABELS[choice.basis],
    partnerIds,
    totalPence: plan.budgetPence,
    hiddenFigures: choice.schools.map((each) => ({
      name: figureField(each.id),
      value: typed[each.id] ?? '',
    })),
    rows: shares.map((share, index) => ({
      schoolName: choice.schools[index]?.name ?? '',
      isLead: index === 0,
      figure: formatShareFigure(choice.basis, share.weight),
      pence: share.pence,
    })),
    changeSchoolsUrl: jointUrl(school, plan, '/schools'),
    changeFiguresUrl: `${jointUrl(school, plan, '/shares')}?${changeQuery.toString()}`,
    csrfToken: reply.generateCsrf(),
  });
}

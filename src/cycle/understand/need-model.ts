/**
 * The needs register: a need a school has evidenced, its priority and status, and whether it
 * is best met by the school's own staff or an outside service. The labels here are
 * the words every page, tag and audit entry uses.
 */
import type {
  EvidenceKind,
  NeedDelivery,
  NeedPriority,
  NeedStatus,
} from '../../platform/db/schema.js';

export type { EvidenceKind, NeedDelivery, NeedPriority, NeedStatus };

export const NEED_PRIORITIES = ['high', 'medium', 'low'] as const satisfies readonly NeedPriority[];

export const NEED_PRIORITY_LABELS: Readonly<Record<NeedPriority, string>> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Statuses in the order a need usually passes through them. */
export const NEED_STATUSES = [
  'identified',
  'planned',
  'being_addressed',
  'met',
  'no_longer_priority',
] as const satisfies readonly NeedStatus[];

export const NEED_STATUS_LABELS: Readonly<Record<NeedStatus, string>> = {
  identified: 'Identified',
  planned: 'Planned',
  being_addressed: 'Being addressed',
  met: 'Met',
  no_longer_priority: 'No longer a priority',
};

/** Hints of the status question: what each status means. */
export const NEED_STATUS_HINTS: Readonly<Record<NeedStatus, string>> = {
  identified: 'The school has evidence of the need but no plan to meet it yet.',
  planned: 'A plan to meet the need is being written or has been agreed.',
  being_addressed: 'Work to meet the need has started.',
  met: 'The evidence shows the need has been met.',
  no_longer_priority: 'The school has decided not to pursue the need for now.',
};

/** govuk-frontend tag colour of each status, so the register can be scanned by status. */
export const NEED_STATUS_TAG_CLASSES: Readonly<Record<NeedStatus, string>> = {
  identified: 'govuk-tag--blue',
  planned: 'govuk-tag--light-blue',
  being_addressed: 'govuk-tag--purple',
  met: 'govuk-tag--green',
  no_longer_priority: 'govuk-tag--grey',
};

export const EVIDENCE_KINDS = [
  'data_analysis',
  'teacher_observation',
  'pupil_voice',
  'parent_voice',
  'inspection_report',
  'research',
  'teacher_knowledge',
] as const satisfies readonly EvidenceKind[];

export const EVIDENCE_KIND_LABELS: Readonly<Record<EvidenceKind, string>> = {
  data_analysis: 'Data analysis',
  teacher_observation: 'Teacher observation',
  pupil_voice: 'Pupil voice',
  parent_voice: 'Parent voice',
  inspection_report: 'Inspection report',
  research: 'Research',
  teacher_knowledge: 'Teacher knowledge',
};

export const EVIDENCE_KIND_HINTS: Readonly<Record<EvidenceKind, string>> = {
  data_analysis: 'Figures from a saved analysis of your pupil data.',
  teacher_observation: 'What teachers have seen in lessons, around school or in pupils’ work.',
  pupil_voice: 'Surveys, interviews, focus groups or the school council.',
  parent_voice: 'Surveys, interviews, focus groups or parent governors.',
  inspection_report: 'An Ofsted report or another inspection or review of the school.',
  research: 'Local or national research about pupils like yours.',
  teacher_knowledge: 'What staff know about why particular pupils are falling behind.',
};

export const NEED_DELIVERIES = [
  'internal',
  'external',
  'both',
] as const satisfies readonly NeedDelivery[];

export const NEED_DELIVERY_LABELS: Readonly<Record<NeedDelivery, string>> = {
  internal: 'By the school’s own staff',
  external: 'By an outside service',
  both: 'By both the school’s staff and an outside service',
};

/** Reasons an outside service may suit a need better than the school's own staff. */
export const EXTERNAL_REASONS = [
  'intractable_problem',
  'new_problem',
  're_engagement',
  'staff_development',
  'specialist_expertise',
] as const;

export type ExternalReason = (typeof EXTERNAL_REASONS)[number];

export const EXTERNAL_REASON_LABELS: Readonly<Record<ExternalReason, string>> = {
  intractable_problem: 'A problem the school has tried and failed to solve',
  new_problem: 'A new problem the school has not faced before',
  re_engagement:
    'Re-engaging pupils or families whose relationship with the school has broken down',
  staff_development: 'Developing staff with outside training or fresh ideas',
  specialist_expertise: 'Specialist expertise the school does not have',
};

export const EXTERNAL_REASON_HINTS: Readonly<Record<ExternalReason, string>> = {
  intractable_problem:
    'Fresh thinking from outside may succeed where the school’s own efforts have not.',
  new_problem: 'For example online bullying, where people who have already dealt with it can help.',
  re_engagement: 'Someone seen as separate from teachers can mediate and bring pupils back.',
  staff_development: 'Professional development that challenges how things are done now.',
  specialist_expertise: 'For example mental health, substance misuse or exploitation.',
};

export function isNeedPriority(value: string): value is NeedPriority {
  return (NEED_PRIORITIES as readonly string[]).includes(value);
}

export function isNeedStatus(value: string): value is NeedStatus {
  return (NEED_STATUSES as readonly string[]).includes(value);
}

export function isEvidenceKind(value: string): value is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(value);
}

export function isNeedDelivery(value: string): value is NeedDelivery {
  return (NEED_DELIVERIES as readonly string[]).includes(value);
}

export function isExternalReason(value: string): value is ExternalReason {
  return (EXTERNAL_REASONS as readonly string[]).includes(value);
}

/** A need as the register and its pages use it. */
export interface Need {
  id: number;
  organisationId: number;
  title: string;
  description: string;
  /** The eligibility rule as typed, or null when the need names no particular pupils yet. */
  audienceRule: string | null;
  /** The parsed rule as JSON, or null while it is not parsed. */
  audienceRuleTree: string | null;
  priority: NeedPriority;
  improvementPriorityId: number | null;
  status: NeedStatus;
  /** Null until the school decides who should meet the need. */
  delivery: NeedDelivery | null;
  capacityReasoning: string;
  capabilityReasoning: string;
  costReasoning: string;
  externalReasons: ExternalReason[];
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/** One changed field of a record, as the audit trail keeps it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * Lists the fields of `after` whose values differ from `before`, in the order `after` gives
 * them. Arrays are compared by their items in order.
 */
export function listChanges<T extends object>(before: T, after: Partial<T>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(after) as [keyof T & string, unknown][]) {
    const from = before[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

/** Names of a need's fields as the audit trail's summaries give them. */
export const NEED_FIELD_NAMES: Readonly<Record<string, string>> = {
  title: 'title',
  description: 'description',
  audienceRule: 'pupils it concerns',
  audienceRuleTree: 'parsed rule',
  priority: 'priority',
  improvementPriorityId: 'improvement priority',
  status: 'status',
  delivery: 'who should meet it',
  capacityReasoning: 'capacity',
  capabilityReasoning: 'capability',
  costReasoning: 'cost',
  externalReasons: 'reasons an outside service fits',
};

/** Summarises changes in one line for the audit trail, such as "Changed title and priority". */
export function summariseNeedChanges(changes: readonly FieldChange[]): string {
  const names = changes.map((change) => NEED_FIELD_NAMES[change.field] ?? change.field);
  if (names.length <= 1) return `Changed ${names.join('')}`;
  return `Changed ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

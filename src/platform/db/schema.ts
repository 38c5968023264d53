import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Table definitions shared by SQLite and PostgreSQL.
 *
 * Both databases store dates as ISO text, booleans as 0 or 1 and money (later) as integer
 * pence, so one set of queries and one set of tests serves both.
 */

export type OrganisationKind = 'school' | 'trust' | 'local_authority' | 'provider';

export interface OrganisationTable {
  id: Generated<number>;
  kind: OrganisationKind;
  name: string;
  urn: string | null;
  laestab: string | null;
  phase: string | null;
  local_authority: string | null;
  parent_id: number | null;
  created_at: string;
  /** Plan value above which a governor must approve, in pence; null until the school sets it. */
  delegated_limit_pence: number | null;
}

export interface PupilTable {
  id: Generated<number>;
  organisation_id: number;
  upn: string;
  created_at: string;
}

/** A pupil's characteristics in one academic year; a later year never overwrites an earlier one. */
export interface PupilYearTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  academic_year: number;
  upn_temporary: number;
  legal_surname: string;
  legal_forename: string;
  preferred_surname: string | null;
  preferred_forename: string | null;
  date_of_birth: string | null;
  sex: string | null;
  nc_year: string | null;
  ethnicity: string | null;
  first_language: string | null;
  eal: number | null;
  sen_provision: string | null;
  in_care: number | null;
  previously_looked_after: number | null;
  service_child: number | null;
  fsm_now_reported: number | null;
  ever6_fsm_reported: number | null;
  pupil_premium_reported: number | null;
  last_import_id: number;
  updated_at: string;
}

export interface FsmPeriodTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  start_date: string;
  end_date: string | null;
}

export interface AttendanceTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  academic_year: number;
  period: string;
  school_laestab: string;
  sessions_possible: number;
  sessions_attended: number;
  sessions_authorised: number;
  sessions_unauthorised: number;
  import_id: number;
}

export interface ExclusionTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  academic_year: number;
  kind: string;
  start_date: string;
  sessions_lost: number | null;
  reason: string | null;
  import_id: number;
}

export interface AssessmentResultTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  stage: string;
  subject: string;
  component: string;
  method: string;
  qualifier: string;
  result: string;
  result_date: string;
  year: number | null;
  import_id: number;
}

export type ImportStatus = 'previewed' | 'committed' | 'discarded';

/** One uploaded file: kept from preview to commit, then as the record of what was loaded. */
export interface ImportTable {
  id: Generated<number>;
  organisation_id: number;
  status: ImportStatus;
  file_name: string;
  format: string;
  academic_year: number | null;
  ctf_version: string | null;
  /** The uploaded bytes, kept so that commit loads exactly what was previewed. */
  content: Buffer | null;
  /** JSON: column mapping for CSV and XLSX files, and other choices the user made. */
  options: string;
  /** JSON: counts shown in the preview and recorded at commit. */
  summary: string;
  error_count: number;
  warning_count: number;
  created_at: string;
  committed_at: string | null;
}

/** Earlier values that an import replaced, so that nothing a school loaded is lost. */
export interface PupilChangeTable {
  id: Generated<number>;
  organisation_id: number;
  pupil_id: number;
  import_id: number;
  academic_year: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  changed_at: string;
}

export interface UserTable {
  id: Generated<number>;
  /** The address as the user typed it. */
  email: string;
  /** Lower-case copy of `email`, unique, for look-ups. */
  email_lookup: string;
  display_name: string;
  /** Argon2id hash; null until the user sets a password. */
  password_hash: string | null;
  password_changed_at: string | null;
  disabled_at: string | null;
  created_at: string;
}

export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  organisation_id: number;
  role: string;
  created_at: string;
}

export interface SessionTable {
  id: Generated<number>;
  /** SHA-256 of the token in the cookie; the token itself is never stored. */
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface InvitationTable {
  id: Generated<number>;
  /** SHA-256 of the token in the invitation link. */
  token_hash: string;
  organisation_id: number;
  email: string;
  role: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  email_lookup: string;
  ip_address: string;
  succeeded: number;
  attempted_at: string;
}

/** One entry of the append-only audit trail; both databases reject UPDATE and DELETE on it. */
export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: string;
  user_id: number | null;
  organisation_id: number | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  /** JSON with the facts of the event; never pupil names or other personal data. */
  details: string;
  request_id: string | null;
  ip_address: string | null;
}

/** A saved copy of one year's group analysis (`GapAnalysis` as JSON), which never changes. */
export interface AnalysisSnapshotTable {
  id: Generated<number>;
  organisation_id: number;
  academic_year: number;
  title: string;
  analysis: string;
  created_by: number | null;
  created_at: string;
}

/** A priority of the school improvement plan for one academic year. */
export interface ImprovementPriorityTable {
  id: Generated<number>;
  organisation_id: number;
  academic_year: number;
  title: string;
  description: string;
  position: number;
  created_at: string;
  /** Set when the school no longer pursues the priority; links to it are kept. */
  retired_at: string | null;
}

export type NeedPriority = 'high' | 'medium' | 'low';
export type NeedStatus =
  'identified' | 'planned' | 'being_addressed' | 'met' | 'no_longer_priority';
export type NeedDelivery = 'internal' | 'external' | 'both';

export interface NeedTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  description: string;
  /** The eligibility rule as the user wrote it, and its parsed tree as JSON. */
  audience_rule: string | null;
  audience_rule_tree: string | null;
  priority: NeedPriority;
  improvement_priority_id: number | null;
  status: NeedStatus;
  delivery: NeedDelivery | null;
  capacity_reasoning: string;
  capability_reasoning: string;
  cost_reasoning: string;
  /** JSON array of reasons an outside service fits, such as `specialist_expertise`. */
  external_reasons: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type EvidenceKind =
  | 'data_analysis'
  | 'teacher_observation'
  | 'pupil_voice'
  | 'parent_voice'
  | 'inspection_report'
  | 'research'
  | 'teacher_knowledge';

export interface NeedEvidenceTable {
  id: Generated<number>;
  organisation_id: number;
  need_id: number;
  kind: EvidenceKind;
  evidence_date: string;
  summary: string;
  /** For data analysis: the saved analysis the evidence quotes. */
  snapshot_id: number | null;
  file_name: string | null;
  file_type: string | null;
  file_content: Buffer | null;
  created_by: number | null;
  created_at: string;
}

export type BarrierClassification = 'internal' | 'internal_external' | 'external';

export interface BarrierOptionTable {
  id: Generated<number>;
  organisation_id: number;
  label: string;
  classification: BarrierClassification;
  created_at: string;
}

export interface NeedBarrierTable {
  id: Generated<number>;
  organisation_id: number;
  need_id: number;
  label: string;
  classification: BarrierClassification;
  note: string;
  created_at: string;
}

export interface ProportionalityBandTable {
  id: Generated<number>;
  organisation_id: number;
  position: number;
  name: string;
  max_value_pence: number | null;
  max_weeks: number | null;
  /** JSON array of plan section keys that plans in this band must complete. */
  required_sections: string;
  created_at: string;
}

export interface PlanTable {
  id: Generated<number>;
  organisation_id: number;
  need_id: number;
  created_by: number | null;
  created_at: string;
}

export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'returned' | 'superseded';

export interface PlanVersionTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  version: number;
  status: PlanStatus;
  title: string;
  improvement_priority_id: number | null;
  alignment: string;
  audience_rule: string | null;
  audience_rule_tree: string | null;
  start_date: string | null;
  end_date: string | null;
  budget_pence: number | null;
  staff_hours: number | null;
  key_contact: string;
  responsible_leader: string;
  evaluation_strategy: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  submitted_by: number | null;
  submitted_at: string | null;
  decided_by: number | null;
  decided_at: string | null;
  decision_comment: string | null;
  /** Who could approve and why, for example "Senior leader, within the £10,000.00 limit". */
  approval_basis: string | null;
}

export interface PlanOutcomeTable {
  id: Generated<number>;
  organisation_id: number;
  plan_version_id: number;
  position: number;
  description: string;
  /** A measure key such as `attendance_rate`, `assessment:KS2/MAT/MAT/TT/SS` or `questionnaire`. */
  measure: string;
  questionnaire_name: string | null;
  /** The pupils the outcome applies to; null means the plan's target audience. */
  audience_rule: string | null;
  audience_rule_tree: string | null;
  /** Frozen when the outcome is saved: the value, how many pupils it covered, and when. */
  baseline_value: number | null;
  baseline_pupils: number | null;
  baseline_academic_year: number | null;
  baseline_taken_at: string | null;
  target_value: number;
  target_date: string;
}

export interface PlanOutputTable {
  id: Generated<number>;
  organisation_id: number;
  plan_version_id: number;
  position: number;
  description: string;
  target_number: number | null;
}

/** An organisation's own Pupil Premium rate; the default figures apply where it has none. */
export interface PremiumRateTable {
  id: Generated<number>;
  organisation_id: number;
  /** Start year of the financial year: 2025 means April 2025 to March 2026. */
  financial_year: number;
  category: string;
  pence_per_pupil: number;
  source: string;
  confirmed: number;
  updated_by: number | null;
  updated_at: string;
}

/** An organisation's own figure for a cost an outcome can avoid. */
export interface UnitCostTable {
  id: Generated<number>;
  organisation_id: number;
  key: string;
  label: string;
  unit: string;
  pence: number;
  born_by: string;
  source: string;
  /** Publication month of the source, as `YYYY-MM`. */
  source_date: string;
  updated_by: number | null;
  updated_at: string;
}

/** Money for a plan from one source, with how sure it is. */
export interface FundingLineTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  source: string;
  funder: string;
  amount_pence: number;
  status: string;
  /** For Pupil Premium, the financial year whose allocation the line draws on. */
  financial_year: number | null;
  expected_date: string | null;
  note: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** How a plan's provider is paid; one per plan. */
export interface PaymentModelTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  kind: string;
  /** Fixed price, or price per pupil or session. */
  price_pence: number | null;
  /** Pupils or sessions bought at a per-unit price. */
  units: number | null;
  outputs: string;
  upfront_pence: number | null;
  cap_pence: number | null;
  first_payment_date: string;
  instalments: number;
  months_apart: number;
  updated_by: number | null;
  updated_at: string;
}

/** A payment-by-results tariff: the price of one evidenced outcome. */
export interface PaymentTariffTable {
  id: Generated<number>;
  organisation_id: number;
  payment_model_id: number;
  position: number;
  outcome: string;
  pence_per_unit: number;
  evidence_required: string;
  hoped_units: number;
  unit_cost_key: string | null;
}

/** One outcome claimed for settlement, for a pupil or unit named by a reference, not a name. */
export interface OutcomeLineTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  tariff_id: number;
  unit_reference: string;
  evidence_status: string;
  disputed: number;
  evidence_reference: string;
  recorded_by: number | null;
  recorded_at: string;
  updated_at: string;
}

/** Figures behind a plan's value for money that the plan does not record itself. */
export interface ValueInputsTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  pupils: number | null;
  sessions: number | null;
  outcomes_achieved: number | null;
  staff_hourly_rate_pence: number | null;
  /** JSON object: unit cost key to the number of hoped outcomes that avoid it. */
  avoided_units: string;
  updated_by: number | null;
  updated_at: string;
}

/** Inputs a senior leader enters for one financial year's Pupil Premium strategy statement. */
export interface StrategyStatementTable {
  id: Generated<number>;
  organisation_id: number;
  /** Start year of the financial year: 2025 means April 2025 to March 2026. */
  financial_year: number;
  statement_of_intent: string;
  authorised_by: string;
  pupil_premium_lead: string;
  governor_lead: string;
  published_on: string;
  next_review_on: string;
  /** Pupil Premium carried forward from earlier years, in pence. */
  carried_forward_pence: number;
  updated_by: number | null;
  updated_at: string;
}

/** The tier of the strategy statement's activity a plan sits in; one per plan. */
export interface StrategyPlanTierTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  /** `teaching`, `targeted_support` or `wider_strategies`. */
  tier: string;
  updated_by: number | null;
  updated_at: string;
}

/**
 * A plan whose cost schools of one trust or local authority share. The plan and this row
 * belong to the lead school; `total_pence` is the plan's budget when the shares were agreed.
 */
export interface JointCommissionTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  /** Basis of the split: `pupils`, `places`, `percentages` or `agreed_amounts`. */
  basis: string;
  total_pence: number;
  created_by: number | null;
  created_at: string;
  updated_by: number | null;
  updated_at: string;
}

/** One school's share of a joint commission; `organisation_id` is that school, lead or partner. */
export interface JointCommissionShareTable {
  id: Generated<number>;
  joint_commission_id: number;
  organisation_id: number;
  /** 0 for the lead school, then the partners in the order the lead listed them. */
  position: number;
  /** Pupils or places, basis points for percentages, or pence for agreed amounts. */
  weight: number;
  share_pence: number;
}

export interface Database {
  organisations: OrganisationTable;
  pupils: PupilTable;
  pupil_years: PupilYearTable;
  fsm_periods: FsmPeriodTable;
  attendance: AttendanceTable;
  exclusions: ExclusionTable;
  assessment_results: AssessmentResultTable;
  imports: ImportTable;
  pupil_changes: PupilChangeTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  sign_in_attempts: SignInAttemptTable;
  audit_events: AuditEventTable;
  analysis_snapshots: AnalysisSnapshotTable;
  improvement_priorities: ImprovementPriorityTable;
  needs: NeedTable;
  need_evidence: NeedEvidenceTable;
  barrier_options: BarrierOptionTable;
  need_barriers: NeedBarrierTable;
  proportionality_bands: ProportionalityBandTable;
  plans: PlanTable;
  plan_versions: PlanVersionTable;
  plan_outcomes: PlanOutcomeTable;
  plan_outputs: PlanOutputTable;
  premium_rates: PremiumRateTable;
  unit_costs: UnitCostTable;
  funding_lines: FundingLineTable;
  payment_models: PaymentModelTable;
  payment_tariffs: PaymentTariffTable;
  outcome_lines: OutcomeLineTable;
  value_inputs: ValueInputsTable;
  joint_commissions: JointCommissionTable;
  joint_commission_shares: JointCommissionShareTable;
  strategy_statements: StrategyStatementTable;
  strategy_plan_tiers: StrategyPlanTierTable;
}

export type OrganisationRow = Selectable<OrganisationTable>;
export type NewOrganisationRow = Insertable<OrganisationTable>;
export type PupilYearRow = Selectable<PupilYearTable>;
export type ImportRow = Selectable<ImportTable>;

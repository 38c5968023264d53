import type { Kysely } from 'kysely';

// The Understand register (needs, their evidence and barriers, saved analyses, the school
// improvement plan) and the Plan step (commissioning plans in versions, with outcomes,
// outputs and proportionality bands). Every row carries its organisation id, and every
// eligibility rule is kept both as the text the user wrote and as its parsed tree (JSON).

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  await createUnderstandTables(db);
  await createPlanTables(db);
}

async function createUnderstandTables(db: Kysely<any>): Promise<void> {
  // A saved copy of the group analysis: the figures a piece of evidence quoted never change,
  // even when later imports correct the pupil records.
  await db.schema
    .createTable('analysis_snapshots')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('analysis', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'analysis_snapshots', ['organisation_id']);

  await db.schema
    .createTable('improvement_priorities')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await index(db, 'improvement_priorities', ['organisation_id', 'academic_year']);

  await db.schema
    .createTable('needs')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('audience_rule', 'text')
    .addColumn('audience_rule_tree', 'text')
    .addColumn('priority', 'text', (col) => col.notNull())
    .addColumn('improvement_priority_id', 'integer', (col) =>
      col.references('improvement_priorities.id'),
    )
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('delivery', 'text')
    .addColumn('capacity_reasoning', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('capability_reasoning', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('cost_reasoning', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('external_reasons', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'needs', ['organisation_id']);

  await db.schema
    .createTable('need_evidence')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('need_id', 'integer', (col) => col.notNull().references('needs.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('evidence_date', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('snapshot_id', 'integer', (col) => col.references('analysis_snapshots.id'))
    .addColumn('file_name', 'text')
    .addColumn('file_type', 'text')
    .addColumn('file_content', isPostgres(db) ? 'bytea' : 'blob')
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'need_evidence', ['organisation_id', 'need_id']);

  // Barriers the school added to the starting list, offered again on its other needs.
  await db.schema
    .createTable('barrier_options')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('classification', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('barrier_options_organisation_label', ['organisation_id', 'label'])
    .execute();

  await db.schema
    .createTable('need_barriers')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('need_id', 'integer', (col) => col.notNull().references('needs.id'))
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('classification', 'text', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'need_barriers', ['organisation_id', 'need_id']);
}

async function createPlanTables(db: Kysely<any>): Promise<void> {
  // The school's own bands. A plan falls in the first band (by position) whose value and
  // duration limits it does not exceed; a null limit means "no limit".
  await db.schema
    .createTable('proportionality_bands')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('max_value_pence', 'integer')
    .addColumn('max_weeks', 'integer')
    .addColumn('required_sections', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'proportionality_bands', ['organisation_id']);

  await db.schema
    .createTable('plans')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('need_id', 'integer', (col) => col.notNull().references('needs.id'))
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'plans', ['organisation_id']);

  // One row per version. Only the latest version can be a draft; an approved version is never
  // changed again, and a change to it starts the next version as a copy.
  await db.schema
    .createTable('plan_versions')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().references('plans.id'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('improvement_priority_id', 'integer', (col) =>
      col.references('improvement_priorities.id'),
    )
    .addColumn('alignment', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('audience_rule', 'text')
    .addColumn('audience_rule_tree', 'text')
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('budget_pence', 'integer')
    .addColumn('staff_hours', 'integer')
    .addColumn('key_contact', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('responsible_leader', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('evaluation_strategy', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('submitted_by', 'integer', (col) => col.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('decided_by', 'integer', (col) => col.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_comment', 'text')
    .addColumn('approval_basis', 'text')
    .addUniqueConstraint('plan_versions_plan_version', ['plan_id', 'version'])
    .execute();
  await index(db, 'plan_versions', ['organisation_id', 'plan_id']);

  await db.schema
    .createTable('plan_outcomes')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_version_id', 'integer', (col) => col.notNull().references('plan_versions.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('measure', 'text', (col) => col.notNull())
    .addColumn('questionnaire_name', 'text')
    .addColumn('audience_rule', 'text')
    .addColumn('audience_rule_tree', 'text')
    .addColumn('baseline_value', 'double precision')
    .addColumn('baseline_pupils', 'integer')
    .addColumn('baseline_academic_year', 'integer')
    .addColumn('baseline_taken_at', 'text')
    .addColumn('target_value', 'double precision', (col) => col.notNull())
    .addColumn('target_date', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'plan_outcomes', ['plan_version_id']);

  await db.schema
    .createTable('plan_outputs')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_version_id', 'integer', (col) => col.notNull().references('plan_versions.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('target_number', 'integer')
    .execute();
  await index(db, 'plan_outputs', ['plan_version_id']);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'plan_outputs',
    'plan_outcomes',
    'plan_versions',
    'plans',
    'proportionality_bands',
    'need_barriers',
    'barrier_options',
    'need_evidence',
    'needs',
    'improvement_priorities',
    'analysis_snapshots',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

async function index(db: Kysely<any>, table: string, columns: string[]): Promise<void> {
  await db.schema
    .createIndex(`${table}_${columns.join('_')}`)
    .on(table)
    .columns(columns)
    .execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function identity(db: Kysely<any>, col: any): any {
  return isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
}
/* eslint-enable @typescript-eslint/no-explicit-any */

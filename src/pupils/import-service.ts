import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../platform/db/schema.js';
import { findSchoolById, type School } from '../platform/organisations/organisation-store.js';
import { planImport, type FieldChange, type ImportPlan } from './import-plan.js';
import {
  claimImportForCommit,
  findImport,
  finishCommittedImport,
  insertImport,
  updateImportPreview,
  type ImportOptions,
  type ImportSummary,
} from './import-store.js';
import type {
  ColumnMapping,
  ImportFormat,
  ImportProblem,
  ParsedImport,
  SchoolIdentity,
} from './model.js';
import { parseImportFile } from './parse-import.js';
import { applyImportPlan, loadStoredState } from './pupil-store.js';

export { listImports } from './import-store.js';

/** How many changed pupils a preview lists one by one; the counts always cover them all. */
const CHANGED_PUPILS_LISTED = 200;

export interface ImportLimits {
  maxBytes: number;
}

export interface ChangedPupil {
  upn: string;
  name: string;
  location: string;
  changes: FieldChange[];
}

/** Preview a user checks before deciding to commit an import. */
export interface ImportPreview {
  /** Null when the file could not be read at all: nothing was stored. */
  importId: number | null;
  organisationId: number;
  status: 'previewed' | 'committed' | 'discarded' | 'unreadable';
  fileName: string;
  format: ImportFormat | null;
  /** `exclusions` for a list of suspensions and exclusions; `pupils` otherwise. */
  contents: 'pupils' | 'exclusions';
  ctfVersion: string | null;
  academicYear: number | null;
  sourceSchool: SchoolIdentity | null;
  destinationSchool: SchoolIdentity | null;
  /** True for a CTF whose source and destination are both other schools. */
  needsOtherSchoolConfirmation: boolean;
  counts: ImportSummary & { errors: number; warnings: number };
  problems: ImportProblem[];
  changedPupils: ChangedPupil[];
  columns: ColumnMapping | null;
  canCommit: boolean;
}

/** Raised when a commit is refused; `message` is written for the user. */
export class ImportRejectedError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-found' | 'not-in-preview' | 'has-errors' | 'confirmation-required',
  ) {
    super(message);
    this.name = 'ImportRejectedError';
  }
}

export interface NewUpload extends ImportOptions {
  organisationId: number;
  fileName: string;
  content: Buffer;
}

/**
 * Reads an uploaded file and compares it with what the school holds. The file is kept with
 * the preview so that the commit loads exactly what the user saw; pupil data is not changed.
 * A file that cannot be read at all is not kept, and its preview has `importId` null.
 */
export async function previewImport(
  db: Kysely<Database>,
  upload: NewUpload,
  limits: ImportLimits,
  log?: Logger,
): Promise<ImportPreview> {
  const school = await requireSchool(db, upload.organisationId);
  const options = { academicYear: upload.academicYear, mapping: upload.mapping };
  const parsed = await parseImportFile(upload.fileName, upload.content, {
    ...options,
    maxBytes: limits.maxBytes,
  });

  if (isUnreadable(parsed)) {
    log?.info(
      { organisationId: school.id, format: parsed.format },
      'import file could not be read',
    );
    return buildPreview(school, null, 'unreadable', parsed, options, null);
  }

  const { plan, academicYear, problems } = await planFromParsed(db, school, parsed, options);
  const importId = await insertImport(db, {
    organisationId: school.id,
    fileName: upload.fileName,
    format: parsed.format,
    academicYear,
    ctfVersion: parsed.ctfVersion,
    content: upload.content,
    options,
    summary: plan?.counts ?? emptySummary(),
    errorCount: countSeverity(problems, 'error'),
    warningCount: countSeverity(problems, 'warning'),
  });
  log?.info({ organisationId: school.id, importId, counts: plan?.counts }, 'import previewed');
  return buildPreview(school, importId, 'previewed', { ...parsed, problems }, options, plan);
}

/** Rebuilds the preview of a stored import against the school's current records. */
export async function getImportPreview(
  db: Kysely<Database>,
  organisationId: number,
  importId: number,
  limits: ImportLimits,
): Promise<ImportPreview | undefined> {
  const school = await requireSchool(db, organisationId);
  const stored = await findImport(db, organisationId, importId);
  if (!stored) return undefined;

  if (!stored.content) {
    const parsedStub: ParsedImport = {
      format: stored.format,
      fileName: stored.fileName,
      ctfVersion: stored.ctfVersion,
      academicYear: stored.academicYear,
      sourceSchool: null,
      destinationSchool: null,
      pupils: [],
      problems: [],
      columns: null,
    };
    const preview = buildPreview(school, importId, stored.status, parsedStub, stored.options, null);
    return {
      ...preview,
      counts: {
        ...(stored.summary ?? emptySummary()),
        errors: stored.errorCount,
        warnings: stored.warningCount,
      },
    };
  }

  const parsed = await parseImportFile(stored.fileName, stored.content, {
    ...stored.options,
    maxBytes: limits.maxBytes,
  });
  const { plan, problems } = await planFromParsed(db, school, parsed, stored.options);
  return buildPreview(
    school,
    importId,
    stored.status,
    { ...parsed, problems },
    stored.options,
    plan,
  );
}

/** Stores a new column mapping or academic year for a previewed import and previews it again. */
export async function remapImport(
  db: Kysely<Database>,
  organisationId: number,
  importId: number,
  options: ImportOptions,
  limits: ImportLimits,
): Promise<ImportPreview | undefined> {
  const school = await requireSchool(db, organisationId);
  const stored = await findImport(db, organisationId, importId);
  if (!stored || !stored.content || stored.status !== 'previewed') return undefined;

  const merged: ImportOptions = { ...stored.options, ...options };
  const parsed = await parseImportFile(stored.fileName, stored.content, {
    ...merged,
    maxBytes: limits.maxBytes,
  });
  const { plan, academicYear, problems } = await planFromParsed(db, school, parsed, merged);
  await updateImportPreview(db, organisationId, importId, {
    options: merged,
    academicYear,
    summary: plan?.counts ?? emptySummary(),
    errorCount: countSeverity(problems, 'error'),
    warningCount: countSeverity(problems, 'warning'),
  });
  return buildPreview(school, importId, 'previewed', { ...parsed, problems }, merged, plan);
}

/**
 * Loads a previewed import into the school's records in one transaction: every pupil or none.
 * Throws `ImportRejectedError` when the import has errors, is no longer in preview, or is
 * another school's CTF that the user has not confirmed.
 */
export async function commitImport(
  db: Kysely<Database>,
  organisationId: number,
  importId: number,
  choices: { confirmOtherSchool: boolean },
  limits: ImportLimits,
  log?: Logger,
): Promise<ImportSummary> {
  const school = await requireSchool(db, organisationId);

  const summary = await db.transaction().execute(async (trx) => {
    const stored = await findImport(trx, organisationId, importId);
    if (!stored)
      throw new ImportRejectedError(
        `Import ${importId} was not found for this school`,
        'not-found',
      );
    if (stored.status !== 'previewed' || !stored.content) {
      throw new ImportRejectedError(
        `Import ${importId} of ${stored.fileName} has already been ${stored.status}; upload the file again to load it`,
        'not-in-preview',
      );
    }

    const parsed = await parseImportFile(stored.fileName, stored.content, {
      ...stored.options,
      maxBytes: limits.maxBytes,
    });
    const { plan, academicYear, problems } = await planFromParsed(
      trx,
      school,
      parsed,
      stored.options,
    );
    const errors = countSeverity(problems, 'error');
    if (errors > 0 || !plan || academicYear === null) {
      throw new ImportRejectedError(
        `${stored.fileName} has ${errors} ${errors === 1 ? 'error' : 'errors'}; correct the file and upload it again`,
        'has-errors',
      );
    }
    if (needsOtherSchoolConfirmation(school, parsed) && !choices.confirmOtherSchool) {
      throw new ImportRejectedError(
        'This file comes from another school and is addressed to another school. Confirm that these pupils are joining your school before loading it; if they are not, do not load this file',
        'confirmation-required',
      );
    }
    if (!(await claimImportForCommit(trx, organisationId, importId))) {
      throw new ImportRejectedError(
        `Import ${importId} is already being committed`,
        'not-in-preview',
      );
    }

    await applyImportPlan(
      trx,
      {
        organisationId,
        importId,
        academicYear,
        characteristicsIncluded: carriesCharacteristics(parsed),
      },
      plan,
    );
    await finishCommittedImport(trx, organisationId, importId, plan.counts, academicYear);
    return plan.counts;
  });

  log?.info({ organisationId, importId, counts: summary }, 'import committed');
  return summary;
}

async function requireSchool(db: Kysely<Database>, organisationId: number): Promise<School> {
  const school = await findSchoolById(db, organisationId);
  if (!school) throw new Error(`School ${organisationId} does not exist`);
  return school;
}

async function planFromParsed(
  db: Kysely<Database> | Parameters<typeof loadStoredState>[0],
  school: School,
  parsed: ParsedImport,
  options: ImportOptions,
): Promise<{ plan: ImportPlan | null; academicYear: number | null; problems: ImportProblem[] }> {
  const problems = [...parsed.problems];
  const academicYear = parsed.academicYear ?? options.academicYear ?? null;
  if (academicYear === null) {
    problems.push({
      severity: 'error',
      file: parsed.fileName,
      location: 'whole file',
      field: 'academic year',
      value: null,
      message:
        'The file does not say which academic year it describes. Choose the academic year and preview again',
    });
    return { plan: null, academicYear, problems };
  }

  const stored = await loadStoredState(db, school.id, academicYear);
  const characteristicsIncluded = carriesCharacteristics(parsed);
  if (!characteristicsIncluded)
    problems.push(...unknownPupilProblems(parsed, stored.pupilIdsByUpn));
  const plan = planImport(
    stored,
    parsed.pupils,
    school.laestab,
    characteristicsIncluded,
    parsed.providedFields,
  );
  return { plan, academicYear, problems };
}

// A file of exclusions lists events for pupils the school already has. It does not describe
// the pupils, so it must not create pupils or change their characteristics.
function carriesCharacteristics(parsed: ParsedImport): boolean {
  return parsed.contents !== 'exclusions';
}

function unknownPupilProblems(parsed: ParsedImport, known: Map<string, number>): ImportProblem[] {
  return parsed.pupils
    .filter((pupil) => !known.has(pupil.upn))
    .map((pupil) => ({
      severity: 'error' as const,
      file: parsed.fileName,
      location: pupil.location,
      field: 'UPN',
      value: pupil.upn,
      message: `No pupil with UPN ${pupil.upn} is on this school's records. Import the pupil file first, or correct the UPN`,
    }));
}

function needsOtherSchoolConfirmation(school: School, parsed: ParsedImport): boolean {
  if (parsed.format !== 'ctf') return false;
  const fromOther = parsed.sourceSchool !== null && parsed.sourceSchool.laestab !== school.laestab;
  const toOther =
    parsed.destinationSchool !== null && parsed.destinationSchool.laestab !== school.laestab;
  return fromOther && toOther;
}

function isUnreadable(parsed: ParsedImport): boolean {
  return (
    parsed.pupils.length === 0 &&
    parsed.columns === null &&
    countSeverity(parsed.problems, 'error') > 0
  );
}

function buildPreview(
  school: School,
  importId: number | null,
  status: ImportPreview['status'],
  parsed: ParsedImport,
  options: ImportOptions,
  plan: ImportPlan | null,
): ImportPreview {
  const errors = countSeverity(parsed.problems, 'error');
  const academicYear = parsed.academicYear ?? options.academicYear ?? null;
  return {
    importId,
    organisationId: school.id,
    status,
    fileName: parsed.fileName,
    format: status === 'unreadable' ? null : parsed.format,
    contents: parsed.contents ?? 'pupils',
    ctfVersion: parsed.ctfVersion,
    academicYear,
    sourceSchool: parsed.sourceSchool,
    destinationSchool: parsed.destinationSchool,
    needsOtherSchoolConfirmation: needsOtherSchoolConfirmation(school, parsed),
    counts: {
      ...(plan?.counts ?? emptySummary()),
      errors,
      warnings: countSeverity(parsed.problems, 'warning'),
    },
    problems: parsed.problems,
    changedPupils: (plan?.pupils ?? [])
      .filter((pupilPlan) => pupilPlan.status === 'changed' && pupilPlan.changes.length > 0)
      .slice(0, CHANGED_PUPILS_LISTED)
      .map((pupilPlan) => ({
        upn: pupilPlan.pupil.upn,
        name: `${pupilPlan.pupil.legalForename} ${pupilPlan.pupil.legalSurname}`.trim(),
        location: pupilPlan.pupil.location,
        changes: pupilPlan.changes,
      })),
    columns: parsed.columns,
    canCommit: status === 'previewed' && errors === 0 && plan !== null && plan.pupils.length > 0,
  };
}

function countSeverity(problems: ImportProblem[], severity: ImportProblem['severity']): number {
  return problems.filter((problem) => problem.severity === severity).length;
}

function emptySummary(): ImportSummary {
  return {
    pupils: 0,
    newPupils: 0,
    changedPupils: 0,
    unchangedPupils: 0,
    attendanceRecords: 0,
    exclusions: 0,
    results: 0,
  };
}

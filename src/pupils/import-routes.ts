import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../platform/audit/audit-store.js';
import type { Database } from '../platform/db/schema.js';
import { uploadedFile } from '../platform/http/forms.js';
import { formatAcademicYear } from '../platform/http/views.js';
import { NotFoundError } from '../platform/http/http-errors.js';
import { asPinoLogger } from '../platform/http/request-logging.js';
import { parseId, requireSchool } from '../platform/http/school-scope.js';
import type { School } from '../platform/organisations/organisation-store.js';
import {
  commitImport,
  getImportPreview,
  ImportRejectedError,
  previewImport,
  remapImport,
  type ImportPreview,
} from './import-service.js';
import type { ImportSummary } from './import-store.js';
import type { ImportFormat, SchoolIdentity } from './model.js';
import { EXCLUSION_FIELD_LABELS, PUPIL_FIELD_LABELS } from './tabular/columns.js';

export interface ImportRoutesOptions {
  db: Kysely<Database>;
  /** Largest file accepted, in bytes. */
  maxUploadBytes: number;
}

/** One entry in a GOV.UK error summary; `href` points at the field to correct, when there is one. */
interface FormError {
  text: string;
  href?: string;
}

type SchoolParams = { schoolId: string };
type ImportParams = { schoolId: string; importId: string };

/** How many problems the preview lists; the counts above the table always include all of them. */
const PROBLEMS_LISTED = 500;

/** How many academic years the year menus offer, counting back from the current one. */
const ACADEMIC_YEARS_OFFERED = 8;

const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  ctf: 'Common Transfer File (CTF)',
  csv: 'CSV',
  xlsx: 'Excel workbook (XLSX)',
};

const academicYearField = z.union([z.literal(''), z.string().regex(/^\d{4}$/)]).optional();

const uploadBody = z.object({ academicYear: academicYearField, file: z.unknown() });

const commitBody = z.object({
  confirmOtherSchool: z.union([z.literal('yes'), z.array(z.literal('yes'))]).optional(),
});

// Column selects are named by position (`column-0`, `column-1`…) because a header may contain
// any characters. The route maps positions back to the headers stored with the import.
const mappingBody = z.object({ academicYear: academicYearField }).catchall(z.unknown());

/**
 * Pupil data imports for one school: the upload form, the preview that shows what would change,
 * the column mapping for CSV and XLSX files, and the commit. Every store call gets the school id
 * from the URL.
 */
export const importRoutes: FastifyPluginAsync<ImportRoutesOptions> = async (
  app,
  { db, maxUploadBytes },
) => {
  const limits = { maxBytes: maxUploadBytes };

  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/imports/new',
    { config: { access: 'pupils:import' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      return renderUploadForm(reply, school, { errors: [], academicYear: '' }, maxUploadBytes);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/imports',
    {
      config: { access: 'pupils:import' },
      // A file over the size limit, or a second file, fails while the body is parsed, before
      // the handler runs, so the user gets the form back with the reason from here.
      errorHandler: async (error, request, reply) => {
        const message = uploadLimitMessage(error, maxUploadBytes);
        if (message === null) throw error;
        request.log.info(
          { code: (error as { code?: string }).code },
          'upload rejected by size or count limit',
        );
        const school = await requireSchool(db, request.params.schoolId);
        reply.code(413);
        return renderUploadForm(
          reply,
          school,
          { errors: [{ text: message, href: '#file' }], academicYear: '' },
          maxUploadBytes,
        );
      },
    },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const body = uploadBody.safeParse(request.body ?? {});
      const academicYear = body.success ? (body.data.academicYear ?? '') : '';
      const file = body.success ? uploadedFile(body.data.file) : null;

      if (file === null || file.fileName === '') {
        request.log.info({ organisationId: school.id }, 'upload has no file');
        reply.code(422);
        return renderUploadForm(
          reply,
          school,
          { errors: [{ text: 'Select a file to import', href: '#file' }], academicYear },
          maxUploadBytes,
        );
      }

      const preview = await previewImport(
        db,
        {
          organisationId: school.id,
          fileName: file.fileName,
          content: file.content,
          academicYear: academicYear === '' ? undefined : Number(academicYear),
        },
        limits,
        asPinoLogger(request.log),
      );

      // The import service has logged why the file could not be read.
      if (preview.importId === null) {
        const errors = preview.problems
          .filter((problem) => problem.severity === 'error')
          .map((problem) => ({ text: problem.message, href: '#file' }));
        reply.code(422);
        return renderUploadForm(reply, school, { errors, academicYear }, maxUploadBytes);
      }
      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'import-previewed',
        organisationId: school.id,
        subjectType: 'import',
        subjectId: preview.importId,
        details: {
          format: preview.format,
          academicYear: preview.academicYear,
          pupils: preview.counts.pupils,
          errors: preview.counts.errors,
          warnings: preview.counts.warnings,
        },
      });
      return reply.redirect(`/schools/${school.id}/imports/${preview.importId}`, 303);
    },
  );

  app.get<{ Params: ImportParams }>(
    '/schools/:schoolId/imports/:importId',
    { config: { access: 'pupils:import' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const importId = parseId(request.params.importId, 'Import id');
      const preview = await findPreview(school, importId);
      return renderPreview(reply, school, preview, []);
    },
  );

  app.post<{ Params: ImportParams }>(
    '/schools/:schoolId/imports/:importId/mapping',
    { config: { access: 'pupils:import' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const importId = parseId(request.params.importId, 'Import id');
      const current = await findPreview(school, importId);
      const body = mappingBody.safeParse(request.body ?? {});
      const mapping = body.success ? readMapping(current, body.data) : null;

      if (!body.success || mapping === null) {
        request.log.info({ organisationId: school.id, importId }, 'column mapping rejected');
        reply.code(422);
        return renderPreview(reply, school, current, [
          { text: 'Choose a field from the list for each column', href: '#column-0' },
        ]);
      }

      const academicYear = body.data.academicYear ? Number(body.data.academicYear) : undefined;
      const updated = await remapImport(db, school.id, importId, { mapping, academicYear }, limits);
      if (!updated) {
        throw new NotFoundError(`Import ${importId} of school ${school.id} is not in preview`);
      }
      return reply.redirect(`/schools/${school.id}/imports/${importId}`, 303);
    },
  );

  app.post<{ Params: ImportParams }>(
    '/schools/:schoolId/imports/:importId/commit',
    { config: { access: 'pupils:import' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const importId = parseId(request.params.importId, 'Import id');
      const body = commitBody.safeParse(request.body ?? {});
      const confirmOtherSchool = body.success && body.data.confirmOtherSchool !== undefined;

      let summary: ImportSummary;
      try {
        summary = await commitImport(
          db,
          school.id,
          importId,
          { confirmOtherSchool },
          limits,
          asPinoLogger(request.log),
        );
      } catch (error) {
        if (!(error instanceof ImportRejectedError)) throw error;
        if (error.reason === 'not-found') throw new NotFoundError(error.message);
        request.log.info(
          { organisationId: school.id, importId, reason: error.reason },
          'import commit rejected',
        );
        const preview = await findPreview(school, importId);
        // Only the confirmation is a field the user can correct here; other reasons link nowhere.
        const formError =
          error.reason === 'confirmation-required'
            ? { text: error.message, href: '#confirmOtherSchool' }
            : { text: error.message };
        reply.code(422);
        return renderPreview(reply, school, preview, [formError]);
      }
      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'import-committed',
        organisationId: school.id,
        subjectType: 'import',
        subjectId: importId,
        details: {
          pupils: summary.pupils,
          newPupils: summary.newPupils,
          changedPupils: summary.changedPupils,
        },
      });
      return reply.redirect(`/schools/${school.id}?imported=${importId}`, 303);
    },
  );

  async function findPreview(school: School, importId: number): Promise<ImportPreview> {
    const preview = await getImportPreview(db, school.id, importId, limits);
    if (!preview) {
      throw new NotFoundError(`Import ${importId} does not exist for school ${school.id}`);
    }
    return preview;
  }
};

async function renderUploadForm(
  reply: FastifyReply,
  school: School,
  form: { errors: FormError[]; academicYear: string },
  maxUploadBytes: number,
): Promise<string> {
  return reply.viewAsync('pages/import-upload.njk', {
    school,
    errors: form.errors,
    fileError: form.errors.map((error) => error.text).join(' '),
    maxUploadText: formatBytes(maxUploadBytes),
    academicYearItems: academicYearItems(form.academicYear, 'Use the year stated in the file'),
    csrfToken: reply.generateCsrf(),
  });
}

async function renderPreview(
  reply: FastifyReply,
  school: School,
  preview: ImportPreview,
  errors: FormError[],
): Promise<string> {
  const problems = preview.problems.slice(0, PROBLEMS_LISTED);
  return reply.viewAsync('pages/import-preview.njk', {
    school,
    preview,
    errors,
    confirmError: errors.find((error) => error.href === '#confirmOtherSchool')?.text ?? null,
    formatLabel: preview.format ? FORMAT_LABELS[preview.format] : 'Not recognised',
    sourceSchool: describeSchool(preview.sourceSchool, school),
    destinationSchool: describeSchool(preview.destinationSchool, school),
    problems,
    problemsNotListed: preview.problems.length - problems.length,
    mappingRows: mappingRows(preview),
    academicYearItems: academicYearItems(
      preview.academicYear === null ? '' : String(preview.academicYear),
      'Choose the academic year',
    ),
    csrfToken: reply.generateCsrf(),
  });
}

/** Describes a school from a CTF header, and marks the school the user is working on. */
function describeSchool(identity: SchoolIdentity | null, school: School): string | null {
  if (identity === null) return null;
  const name = identity.name
    ? `${identity.name} (LAESTAB ${identity.laestab})`
    : `LAESTAB ${identity.laestab}`;
  return identity.laestab === school.laestab ? `${name}, this school` : name;
}

/** Builds one select per CSV or XLSX column, with the field it is mapped to now selected. */
function mappingRows(preview: ImportPreview) {
  if (preview.columns === null) return [];
  const { headers, fields } = preview.columns;
  const labels = Object.entries(fieldLabelsFor(preview));
  return headers.map((header, index) => {
    const selected = fields[header] ?? '';
    return {
      name: `column-${index}`,
      header,
      items: [
        { value: '', text: 'Do not import this column', selected: selected === '' },
        ...labels.map(([key, label]) => ({ value: key, text: label, selected: key === selected })),
      ],
    };
  });
}

/** Reads the posted column choices back into a header-to-field mapping; null if any is invalid. */
function readMapping(
  preview: ImportPreview,
  body: Record<string, unknown>,
): Record<string, string | null> | null {
  if (preview.columns === null) return null;
  const allowed = new Set(Object.keys(fieldLabelsFor(preview)));
  const mapping: Record<string, string | null> = {};
  for (const [index, header] of preview.columns.headers.entries()) {
    const value = body[`column-${index}`];
    if (value === undefined || value === '') {
      mapping[header] = null;
    } else if (typeof value === 'string' && allowed.has(value)) {
      mapping[header] = value;
    } else {
      return null;
    }
  }
  return mapping;
}

const EXCLUSION_ONLY_FIELDS = new Set(
  Object.keys(EXCLUSION_FIELD_LABELS).filter((key) => !(key in PUPIL_FIELD_LABELS)),
);

/**
 * Returns the fields a column of this file can fill. A file whose columns already fill an
 * exclusion field (type, start date…) is a list of exclusions, and any other file is a list of
 * pupils.
 */
function fieldLabelsFor(preview: ImportPreview): Readonly<Record<string, string>> {
  const mapped = Object.values(preview.columns?.fields ?? {});
  const isExclusions = mapped.some((field) => field !== null && EXCLUSION_ONLY_FIELDS.has(field));
  return isExclusions ? EXCLUSION_FIELD_LABELS : PUPIL_FIELD_LABELS;
}

/**
 * Items for an academic year select: a first choice with no value, then the current academic
 * year (which starts on 1 September) and the years before it.
 */
function academicYearItems(selected: string, emptyText: string) {
  const today = new Date();
  const current = today.getMonth() >= 8 ? today.getFullYear() : today.getFullYear() - 1;
  const years = Array.from({ length: ACADEMIC_YEARS_OFFERED }, (_, index) => current - index);
  if (selected !== '' && !years.includes(Number(selected))) years.push(Number(selected));
  return [
    { value: '', text: emptyText, selected: selected === '' },
    ...years.map((year) => ({
      value: String(year),
      text: formatAcademicYear(year),
      selected: String(year) === selected,
    })),
  ];
}

/** Returns the message for an upload over a multipart limit, or null for any other error. */
function uploadLimitMessage(error: unknown, maxUploadBytes: number): string | null {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return `The selected file must be smaller than ${formatBytes(maxUploadBytes)}`;
  }
  if (code === 'FST_FILES_LIMIT') {
    return 'Select only one file to import';
  }
  return null;
}

/** Formats a size for people, in binary units: 20971520 bytes is `20 MB`. */
function formatBytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  if (megabytes >= 1) return `${Number(megabytes.toFixed(1))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

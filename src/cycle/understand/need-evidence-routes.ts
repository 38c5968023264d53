import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { uploadedFile } from '../../platform/http/forms.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear, formatDateTime } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formText } from '../../platform/http/form-body.js';
import { londonToday, type DatePart, type FormError } from '../../platform/http/form-fields.js';
import {
  attachmentDisposition,
  checkEvidenceDetails,
  checkEvidenceFile,
  emptyEvidenceForm,
  EVIDENCE_FILE_EXTENSIONS,
  EVIDENCE_SUMMARY_MAX_LENGTH,
  formatFileSize,
  type EvidenceFormInput,
} from './need-evidence.js';
import { addEvidence, findEvidenceFile, type EvidenceFile } from './need-evidence-store.js';
import {
  EVIDENCE_KINDS,
  EVIDENCE_KIND_HINTS,
  EVIDENCE_KIND_LABELS,
  type Need,
} from './need-model.js';
import { needPath, requireNeed } from './need-scope.js';
import { listSnapshots, type SnapshotListItem } from './snapshot-store.js';

export interface EvidenceRoutesOptions {
  db: Kysely<Database>;
  /** Maximum file size accepted, in bytes. The form parser enforces it. */
  maxUploadBytes: number;
}

type NeedParams = { schoolId: string; needId: string };
type EvidenceParams = { schoolId: string; needId: string; evidenceId: string };

const newEvidenceQuery = z.object({
  snapshot: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .optional(),
});

/** What the evidence form shows besides the answers: errors, and which date boxes are wrong. */
interface EvidenceFormState {
  input: EvidenceFormInput;
  errors: FormError[];
  dateParts: DatePart[];
}

/**
 * Serves evidence on a need: the form at `/schools/:schoolId/needs/:needId/evidence/new`, which staff
 * and senior leaders post with an optional file, and the download of that file by anyone who
 * can read the school. `?snapshot=` on the form chooses a saved analysis as data-analysis
 * evidence. An item and its audit event are saved in one transaction, and an item is never
 * changed afterwards.
 */
export const evidenceRoutes: FastifyPluginAsync<EvidenceRoutesOptions> = async (
  app,
  { db, maxUploadBytes },
) => {
  app.get<{ Params: NeedParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/needs/:needId/evidence/new',
    { config: { access: 'evidence:add' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const snapshots = await listSnapshots(db, school.id);
      const query = newEvidenceQuery.safeParse(request.query);
      const chosen = query.success ? query.data.snapshot : undefined;
      const input = emptyEvidenceForm();
      if (chosen !== undefined && snapshots.some((snapshot) => String(snapshot.id) === chosen)) {
        input.kind = 'data_analysis';
        input.snapshotId = chosen;
      }
      return renderEvidenceForm(reply, school, need, snapshots, {
        input,
        errors: [],
        dateParts: [],
      });
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/evidence',
    {
      config: { access: 'evidence:add' },
      // A file over the size limit fails while the body is read, before the handler runs.
      // The file is the form's last field, so the answers typed above it are already read
      // and go back into the form.
      errorHandler: async (error: FastifyError, request, reply) => {
        const message = uploadLimitMessage(error, maxUploadBytes);
        if (message === null) throw error;
        const school = await requireSchool(db, request.params.schoolId);
        const need = await requireNeed(db, school, request.params.needId);
        request.log.info(
          { organisationId: school.id, needId: need.id, code: error.code },
          'evidence file rejected by size or count limit',
        );
        const snapshots = await listSnapshots(db, school.id);
        reply.code(413);
        return renderEvidenceForm(reply, school, need, snapshots, {
          input: readEvidenceForm(fieldsReadBeforeFile(error)),
          errors: [{ text: message, href: '#file' }],
          dateParts: [],
        });
      },
    },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const snapshots = await listSnapshots(db, school.id);
      const input = readEvidenceForm(request.body);
      const details = checkEvidenceDetails(
        input,
        londonToday(),
        new Set(snapshots.map((snapshot) => snapshot.id)),
      );

      const upload = uploadedFile((request.body as Record<string, unknown> | undefined)?.file);
      const fileCheck =
        upload === null || upload.fileName === ''
          ? null
          : checkEvidenceFile(upload.fileName, upload.content);
      const errors = [
        ...(details.ok ? [] : details.errors),
        ...(fileCheck !== null && !fileCheck.ok
          ? [{ text: fileCheck.message, href: '#file' }]
          : []),
      ];

      if (!details.ok || (fileCheck !== null && !fileCheck.ok)) {
        request.log.info(
          { organisationId: school.id, needId: need.id, fields: errors.map((error) => error.href) },
          'evidence rejected',
        );
        reply.code(422);
        return renderEvidenceForm(reply, school, need, snapshots, {
          input,
          errors,
          dateParts: details.ok ? [] : details.dateParts,
        });
      }

      const file: EvidenceFile | null =
        upload === null || fileCheck === null || !fileCheck.ok
          ? null
          : { fileName: fileCheck.fileName, fileType: fileCheck.fileType, content: upload.content };
      const evidenceId = await db.transaction().execute(async (trx) => {
        const id = await addEvidence(trx, school.id, need.id, {
          ...details.details,
          file,
          createdBy: request.currentUser?.id ?? null,
        });
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'evidence-added',
          organisationId: school.id,
          subjectType: 'evidence',
          subjectId: id,
          details: {
            needId: need.id,
            kind: details.details.kind,
            evidenceDate: details.details.evidenceDate,
            snapshotId: details.details.snapshotId,
            file: file?.fileName ?? null,
            fileBytes: file?.content.length ?? null,
            summary: `${EVIDENCE_KIND_LABELS[details.details.kind]} on need ${need.id}`,
          },
        });
        return id;
      });
      request.log.info(
        { organisationId: school.id, needId: need.id, evidenceId, withFile: file !== null },
        'evidence added',
      );
      return reply.redirect(`${needPath(school.id, need.id)}?notice=evidence`, 303);
    },
  );

  app.get<{ Params: EvidenceParams }>(
    '/schools/:schoolId/needs/:needId/evidence/:evidenceId/file',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const evidenceId = parseId(request.params.evidenceId, 'Evidence id');
      const file = await findEvidenceFile(db, school.id, need.id, evidenceId);
      if (!file) {
        throw new NotFoundError(
          `Evidence ${evidenceId} of need ${need.id} in school ${school.id} has no file`,
        );
      }

      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'export-downloaded',
        organisationId: school.id,
        subjectType: 'evidence',
        subjectId: evidenceId,
        details: { file: file.fileName, needId: need.id },
      });
      // The file is never shown in the browser: it is downloaded under a safe name, its type is
      // the one its checked extension names, and no browser may guess another type or keep a copy.
      return reply
        .type(file.fileType)
        .header('Content-Disposition', attachmentDisposition(file.fileName))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-store')
        .send(file.content);
    },
  );

  async function renderEvidenceForm(
    reply: FastifyReply,
    school: School,
    need: Need,
    snapshots: readonly SnapshotListItem[],
    state: EvidenceFormState,
  ): Promise<string> {
    const { input, errors, dateParts } = state;
    const dateError = errors.find((error) => error.href.startsWith('#date-'));
    return reply.viewAsync('pages/need-evidence.njk', {
      school,
      need,
      path: needPath(school.id, need.id),
      input,
      errors,
      errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
      dateError: dateError?.text ?? null,
      dateItems: (['day', 'month', 'year'] as const).map((part) => ({
        name: part,
        value: input.date[part],
        classes: `govuk-input--width-${part === 'year' ? 4 : 2}${dateParts.includes(part) ? ' govuk-input--error' : ''}`,
      })),
      kindItems: EVIDENCE_KINDS.map((kind) => ({
        value: kind,
        text: EVIDENCE_KIND_LABELS[kind],
        hint: { text: EVIDENCE_KIND_HINTS[kind] },
        checked: input.kind === kind,
      })),
      snapshotItems: [
        { value: '', text: 'None', selected: input.snapshotId === '' },
        ...snapshots.map((snapshot) => ({
          value: String(snapshot.id),
          text: `${snapshot.title} (${formatAcademicYear(snapshot.academicYear)}, saved ${formatDateTime(snapshot.createdAt)})`,
          selected: input.snapshotId === String(snapshot.id),
        })),
      ],
      hasSnapshots: snapshots.length > 0,
      summaryMaxLength: EVIDENCE_SUMMARY_MAX_LENGTH,
      maxUploadText: formatFileSize(maxUploadBytes),
      accept: EVIDENCE_FILE_EXTENSIONS.map((extension) => `.${extension}`).join(','),
      csrfToken: reply.generateCsrf(),
    });
  }
};

/** Reads the evidence form's fields from a request body. A missing field reads as empty. */
function readEvidenceForm(body: unknown): EvidenceFormInput {
  return {
    kind: formText(body, 'kind'),
    date: {
      day: formText(body, 'date-day'),
      month: formText(body, 'date-month'),
      year: formText(body, 'date-year'),
    },
    summary: formText(body, 'summary'),
    snapshotId: formText(body, 'snapshotId'),
  };
}

/**
 * Returns the text fields that the multipart parser had read when a file broke its limits.
 * @fastify/multipart 10 attaches them to the error as `part.fields`, each as `{ value }`.
 */
function fieldsReadBeforeFile(error: unknown): Record<string, string> {
  const fields = (error as { part?: { fields?: Record<string, unknown> } }).part?.fields ?? {};
  const values: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = (field as { value?: unknown } | null)?.value;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

/** Returns the message for an upload over a multipart limit, or null for any other error. */
function uploadLimitMessage(error: FastifyError, maxUploadBytes: number): string | null {
  if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
    return `The selected file must be smaller than ${formatFileSize(maxUploadBytes)}`;
  }
  if (error.code === 'FST_FILES_LIMIT') return 'Select only one file';
  return null;
}

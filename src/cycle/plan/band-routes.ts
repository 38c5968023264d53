import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatPence } from '../../platform/organisations/school-settings.js';
import { errorList, errorsByField } from './plan-http.js';
import { readBudget } from './plan-details.js';
import { loadBands, saveBands } from './plan-store.js';
import {
  ALWAYS_REQUIRED,
  checkBands,
  PLAN_SECTION_LABELS,
  PLAN_SECTIONS,
  type PlanSection,
  type ProportionalityBand,
} from './proportionality.js';
import type { FieldError } from './smart-outcomes.js';

export interface BandRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };

/** Number of bands a school sets: small, middle and everything larger. */
const BAND_COUNT = 3;

interface BandForm {
  name: string;
  maxValue: string;
  maxWeeks: string;
  requiredSections: string[];
}

/**
 * The school's proportionality bands: how much each size of plan must include. The last band
 * has no limits, so that every plan falls in a band.
 */
export const bandRoutes: FastifyPluginAsync<BandRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/settings/proportionality',
    { config: { access: 'settings:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const bands = await loadBands(db, school.id);
      return renderBands(reply, school, bands.map(formFromBand), []);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/settings/proportionality',
    { config: { access: 'settings:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const forms = bandFormsOf(request.body);
      const read = readBands(forms);
      if (!read.ok) {
        reply.code(422);
        return renderBands(reply, school, forms, read.errors);
      }

      const previous = await loadBands(db, school.id);
      await db.transaction().execute(async (trx) => {
        await saveBands(trx, school.id, read.bands, new Date().toISOString());
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'settings-changed',
          organisationId: school.id,
          subjectType: 'organisation',
          subjectId: String(school.id),
          details: { setting: 'proportionalityBands', from: previous, to: read.bands },
        });
      });
      request.log.info({ organisationId: school.id }, 'proportionality bands saved');
      return reply.redirect(`/schools/${school.id}/settings/proportionality?saved=1`, 303);
    },
  );
};

function formFromBand(band: ProportionalityBand): BandForm {
  return {
    name: band.name,
    maxValue: band.maxValuePence === null ? '' : formatPence(band.maxValuePence).slice(1),
    maxWeeks: band.maxWeeks === null ? '' : String(band.maxWeeks),
    requiredSections: band.requiredSections,
  };
}

function bandFormsOf(body: unknown): BandForm[] {
  const fields = (body ?? {}) as Record<string, unknown>;
  const textOf = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
  const listOf = (name: string) => {
    const value = fields[name];
    if (Array.isArray(value))
      return value.filter((item): item is string => typeof item === 'string');
    return typeof value === 'string' ? [value] : [];
  };
  return Array.from({ length: BAND_COUNT }, (_unused, index) => ({
    name: textOf(`band-${index}-name`),
    maxValue: textOf(`band-${index}-maxValue`),
    maxWeeks: textOf(`band-${index}-maxWeeks`),
    requiredSections: listOf(`band-${index}-sections`),
  }));
}

/** Reads the typed bands; the last band has no limits whatever was typed for it. */
function readBands(
  forms: readonly BandForm[],
): { ok: true; bands: ProportionalityBand[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const bands = forms.map((form, index) => {
    const last = index === forms.length - 1;
    const value = last
      ? { ok: true as const, pence: null }
      : readBudget(form.maxValue, `Band ${index + 1}'s highest value`);
    if (!value.ok) {
      errors.push({ field: `band-${index}-maxValue`, text: value.error });
    } else if (!last && value.pence === null) {
      errors.push({
        field: `band-${index}-maxValue`,
        text: `Enter band ${index + 1}'s highest value`,
      });
    }
    const weeks = form.maxWeeks.trim();
    if (!last && !/^\d{1,3}$/.test(weeks)) {
      errors.push({
        field: `band-${index}-maxWeeks`,
        text: `Band ${index + 1}'s longest timeframe must be a whole number of weeks, like 6`,
      });
    }
    return {
      name: form.name.trim(),
      maxValuePence: value.ok ? value.pence : null,
      maxWeeks: last || !/^\d{1,3}$/.test(weeks) ? null : Number(weeks),
      requiredSections: PLAN_SECTIONS.filter((section) => form.requiredSections.includes(section)),
    };
  });
  errors.push(...checkBands(bands));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, bands };
}

async function renderBands(
  reply: FastifyReply,
  school: School,
  bands: BandForm[],
  errors: FieldError[],
) {
  return reply.viewAsync('pages/proportionality-bands.njk', {
    school,
    bands,
    sections: PLAN_SECTIONS.map((section: PlanSection) => ({
      value: section,
      text: PLAN_SECTION_LABELS[section],
      always: ALWAYS_REQUIRED.has(section),
    })),
    saved: (reply.request.query as Record<string, unknown>).saved === '1',
    errors: errorList(errors),
    fieldErrors: errorsByField(errors),
    csrfToken: reply.generateCsrf(),
  });
}

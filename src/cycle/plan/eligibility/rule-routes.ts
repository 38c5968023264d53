import { loadInterventionMemberships } from '../audience.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../platform/db/schema.js';
import { requireSchool } from '../../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../../platform/http/views.js';
import type { School } from '../../../platform/organisations/organisation-store.js';
import { listAnalysisYears } from '../../understand/analysis-store.js';
import { chooseYear } from '../../understand/gap-routes.js';
import {
  BUILDER_FIELDS,
  BUILDER_OPERATORS,
  BUILDER_ROWS,
  buildRuleText,
  type BuilderError,
  type BuilderInput,
} from './rule-builder.js';
import { helpPage } from './rule-help.js';
import { parseRule } from './rule-language.js';
import { evaluateRuleForSchool } from './rule-service.js';
import {
  describeRuleError,
  errorResult,
  noDataResult,
  promptResult,
  selectionResult,
  type RuleResultView,
} from './rule-view.js';

export interface RuleRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };
type RuleRequest = FastifyRequest<{ Params: SchoolParams; Querystring: Record<string, unknown> }>;

/** Name and id of the rule's text field, and the fragment the error summary links to. */
const RULE_FIELD = 'rule';

const singleValues = z.record(z.string(), z.string());

const ruleQuery = z.looseObject({
  rule: z.string().optional(),
  year: z.string().optional(),
  mode: z.enum(['builder']).optional(),
  combine: z.string().optional(),
});

type RuleQuery = z.infer<typeof ruleQuery>;

/**
 * Reads the query, or returns null when a parameter is repeated (and so arrives as an array)
 * or `mode` has an unknown value.
 */
function readQuery(query: unknown): RuleQuery | null {
  if (!singleValues.safeParse(query).success) return null;
  const parsed = ruleQuery.safeParse(query);
  return parsed.success ? parsed.data : null;
}

/** Outcome of reading the query: the typed text, its result and any form errors. */
interface CheckedRule {
  statusCode: number;
  text: string;
  result: RuleResultView;
  ruleError: string | null;
  builderErrors: BuilderError[];
}

/**
 * Serves the rule checker at `/schools/:schoolId/rules`, where a user writes an eligibility rule
 * or builds one from conditions and is shown how many pupils it selects in an academic year.
 * Also serves the same result as an HTML fragment at `/schools/:schoolId/rules/preview` for
 * live updates, and the language's help at `/help/eligibility-rules`. Nothing is saved.
 *
 * A rule that does not parse, or a builder form with a problem, gives status 422 with the text
 * kept; a query with a repeated parameter gives 400; a year with no pupil data gives 404, as on
 * the gap pages.
 */
export const ruleRoutes: FastifyPluginAsync<RuleRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, unknown> }>(
    '/schools/:schoolId/rules',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const years = await listAnalysisYears(db, school.id);
      const query = readQuery(request.query);
      if (query === null) {
        return renderCheckerPage(reply, school, years, null, badQuery(request));
      }

      const year = years.length === 0 ? null : chooseYear(years, { year: query.year });
      const checked = await checkRule(db, request, school, year, query);
      return renderCheckerPage(reply, school, years, year, checked, query);
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, unknown> }>(
    '/schools/:schoolId/rules/preview',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = readQuery(request.query);
      if (query === null) {
        reply.code(400);
        return reply.viewAsync('partials/rule-preview.njk', { result: badQuery(request).result });
      }

      const years = await listAnalysisYears(db, school.id);
      const year = years.length === 0 ? null : chooseYear(years, { year: query.year });
      const text = query.rule ?? '';
      const checked =
        text.trim() === ''
          ? { statusCode: 200, result: promptResult() }
          : await checkText(db, request, school, year, text, 'debug');
      reply.code(checked.statusCode);
      return reply.viewAsync('partials/rule-preview.njk', { result: checked.result });
    },
  );

  app.get('/help/eligibility-rules', { config: { access: 'public' } }, async (_request, reply) =>
    reply.viewAsync('pages/help-eligibility-rules.njk', helpPage()),
  );
};

/** Reads the rule from the text field or from the builder, and evaluates it when it parses. */
async function checkRule(
  db: Kysely<Database>,
  request: RuleRequest,
  school: School,
  year: number | null,
  query: RuleQuery,
): Promise<CheckedRule> {
  if (query.mode === 'builder') {
    const built = buildRuleText(builderInput(query));
    if (!built.ok) {
      request.log.info(
        { organisationId: school.id, problems: built.errors.length },
        'rule builder rejected',
      );
      return {
        statusCode: 422,
        text: query.rule ?? '',
        result: promptResult(),
        ruleError: null,
        builderErrors: built.errors,
      };
    }
    return {
      ...(await checkText(db, request, school, year, built.text, 'info')),
      builderErrors: [],
    };
  }

  if (query.rule === undefined) {
    return {
      statusCode: 200,
      text: '',
      result: promptResult(),
      ruleError: null,
      builderErrors: [],
    };
  }
  return { ...(await checkText(db, request, school, year, query.rule, 'info')), builderErrors: [] };
}

/** Parses `text` and, when it parses and the school has pupil data, selects its pupils. */
async function checkText(
  db: Kysely<Database>,
  request: RuleRequest,
  school: School,
  year: number | null,
  text: string,
  level: 'info' | 'debug',
): Promise<Omit<CheckedRule, 'builderErrors'>> {
  const parsed = parseRule(text);
  if (!parsed.ok) {
    request.log[level](
      { organisationId: school.id, position: parsed.error.position },
      'eligibility rule rejected',
    );
    return {
      statusCode: 422,
      text,
      result: errorResult(parsed.error, text),
      ruleError: describeRuleError(parsed.error, text),
    };
  }
  if (year === null) {
    return { statusCode: 200, text, result: noDataResult(parsed.canonical), ruleError: null };
  }

  // Until enrolment is recorded, a submitted or approved plan stands for the intervention its
  // target audience will receive.
  const memberships = await loadInterventionMemberships(db, school, year, null);
  const { summary } = await evaluateRuleForSchool(db, school.id, year, parsed.tree, memberships);
  request.log[level](
    { organisationId: school.id, academicYear: year, selected: summary.selected },
    'eligibility rule checked',
  );
  const yearLabel = formatAcademicYear(year);
  return {
    statusCode: 200,
    text,
    result: selectionResult(parsed.canonical, summary, yearLabel, true),
    ruleError: null,
  };
}

/** Builds the outcome of a query with a repeated parameter, keeping the first rule text sent. */
function badQuery(request: RuleRequest): CheckedRule {
  const sent = request.query.rule;
  const text = typeof sent === 'string' ? sent : Array.isArray(sent) ? String(sent[0] ?? '') : '';
  request.log.info({ path: request.routeOptions.url }, 'rule query rejected');
  const message =
    'The page address is not valid. Check the rule and the academic year, then try again';
  return {
    statusCode: 400,
    text,
    result: { ...promptResult(), state: 'error', status: message },
    ruleError: message,
    builderErrors: [],
  };
}

function builderInput(query: RuleQuery): BuilderInput {
  const read = (name: string): string => {
    const value: unknown = query[name];
    return typeof value === 'string' ? value : '';
  };
  return {
    combine: query.combine ?? '',
    rows: Array.from({ length: BUILDER_ROWS }, (_, index) => ({
      field: read(`field-${index + 1}`),
      operator: read(`operator-${index + 1}`),
      value: read(`value-${index + 1}`),
    })),
  };
}

async function renderCheckerPage(
  reply: FastifyReply,
  school: School,
  years: readonly number[],
  year: number | null,
  checked: CheckedRule,
  query: Partial<RuleQuery> = {},
): Promise<string> {
  reply.code(checked.statusCode);
  const builder = builderInput(query as RuleQuery);
  const errors = [
    ...(checked.ruleError === null ? [] : [{ text: checked.ruleError, href: `#${RULE_FIELD}` }]),
    ...checked.builderErrors.map((error) => ({
      text: error.message,
      href: error.part === 'combine' ? '#combine' : `#${error.part}-${error.row}`,
    })),
  ];
  return reply.viewAsync('pages/eligibility-rules.njk', {
    school,
    fieldName: RULE_FIELD,
    text: checked.text,
    ruleError: checked.ruleError,
    result: checked.result,
    year,
    yearLabel: year === null ? null : formatAcademicYear(year),
    yearItems: years.map((option) => ({
      value: String(option),
      text: formatAcademicYear(option),
      selected: option === year,
    })),
    combine: builder.combine === 'any' ? 'any' : 'all',
    builderRows: builder.rows.map((row, index) =>
      builderRowView(row, index + 1, checked.builderErrors),
    ),
    errors,
  });
}

/** Select items and error messages for one condition of the builder, keeping what was chosen. */
function builderRowView(
  row: BuilderInput['rows'][number],
  number: number,
  errors: readonly BuilderError[],
) {
  const errorFor = (part: BuilderError['part']) =>
    errors.find((error) => error.row === number && error.part === part)?.message ?? null;
  return {
    number,
    fieldItems: [
      { value: '', text: 'Choose a field', selected: row.field === '' },
      ...BUILDER_FIELDS.map((field) => ({
        value: field.value,
        text: field.text,
        selected: field.value === row.field,
      })),
    ],
    operatorItems: BUILDER_OPERATORS.map((operator) => ({
      value: operator.value,
      text: operator.text,
      selected: operator.value === row.operator,
    })),
    value: row.value,
    fieldError: errorFor('field'),
    operatorError: errorFor('operator'),
    valueError: errorFor('value'),
  };
}

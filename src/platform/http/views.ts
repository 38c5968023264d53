import view from '@fastify/view';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { formatFinancialYear } from '../../cycle/finance/financial-year.js';
import { formatSignedPence } from '../../cycle/finance/money.js';
import { GOVUK_FRONTEND_DIR, VIEWS_DIR } from './paths.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Values every template on this response can read; `@fastify/view` merges them in. */
    locals: Record<string, unknown> | null;
  }
}

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/** The six steps of the commissioning cycle, and the school page each built step opens. */
const CYCLE_STEPS = [
  { step: 'Understand', path: '' },
  { step: 'Plan', path: '/plans' },
  { step: 'Finance', path: '/finance' },
  { step: 'Procure', path: null },
  { step: 'Implement', path: null },
  { step: 'Review', path: null },
] as const;

// The step a URL belongs to, from the first part of the path after `/schools/:id`.
const STEP_OF_SECTION: Readonly<Record<string, string>> = {
  plans: 'Plan',
  settings: 'Plan',
  finance: 'Finance',
};

/**
 * Items for the service navigation. Within a school, each built step links to that school's
 * page for it; outside a school, Understand links to the list of schools. Steps that are not
 * built yet are plain text in the secondary text colour, and screen readers hear "(not yet
 * available)".
 */
export function cycleNavigation(url: string): Array<Record<string, unknown>> {
  const match = /^\/schools\/(\d+)(?:\/([^/?#]+))?/.exec(url);
  const schoolId = match?.[1];
  const active = STEP_OF_SECTION[match?.[2] ?? ''] ?? 'Understand';
  return CYCLE_STEPS.map(({ step, path }) => {
    if (path === null) {
      return {
        html: `<span class="app-service-navigation__unavailable">${step}<span class="govuk-visually-hidden"> (not yet available)</span></span>`,
      };
    }
    const href =
      schoolId === undefined ? (path === '' ? '/' : null) : `/schools/${schoolId}${path}`;
    if (href === null) return { text: step };
    return { text: step, href, active: step === active };
  });
}

const longDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * Nunjucks views with govuk-frontend's macros on the search path, autoescaping on, and the
 * filters our pages share. Each response's templates also receive `cspNonce`, so the inline
 * script in govuk-frontend's page template satisfies the Content Security Policy.
 * Register after the security headers, whose hook creates the nonce.
 */
export const views = fp(
  async (app) => {
    await app.register(view, {
      engine: { nunjucks },
      templates: [VIEWS_DIR, GOVUK_FRONTEND_DIR],
      options: {
        autoescape: true,
        throwOnUndefined: false,
        onConfigure: (env: nunjucks.Environment) => {
          env.addFilter('academicYear', formatAcademicYear);
          env.addFilter('dateTime', formatDateTime);
          env.addFilter('longDate', formatLongDate);
          env.addFilter('count', (value: number) => wholeNumber.format(value));
          env.addFilter('pence', formatSignedPence);
          env.addFilter('financialYear', formatFinancialYear);
        },
      },
    });

    // @fastify/view declares `reply.locals` and empties it on each request before this hook runs.
    app.addHook('onRequest', async (request, reply) => {
      reply.locals = {
        ...reply.locals,
        cspNonce: reply.cspNonce?.script,
        cycleNavigation: cycleNavigation(request.url),
      };
    });
  },
  { name: 'views' },
);

/** Formats an academic year named by its start year: 2024 becomes `2024/25`. */
export function formatAcademicYear(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Formats an ISO date (`YYYY-MM-DD`) as, for example, `16 January 2025`. */
export function formatLongDate(isoDate: string): string {
  return longDate.format(new Date(`${isoDate}T12:00:00Z`));
}

/** Formats an ISO timestamp as UK local time, for example `4 December 2026 at 8:19pm`. */
export function formatDateTime(iso: string): string {
  const parts = londonDateTime.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const dayPeriod = part('dayPeriod').toLowerCase().replace(/\s/g, '');
  return `${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')}${dayPeriod}`;
}

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
  hour12: true,
});

/** The six steps of the commissioning cycle; only Understand has pages in this version. */
const CYCLE_STEPS = ['Understand', 'Plan', 'Finance', 'Procure', 'Implement', 'Review'] as const;

/**
 * Items for the service navigation. Steps that are not built yet are plain text rather than
 * links, set in the secondary text colour, and screen readers hear "(not yet available)".
 */
const cycleNavigation = CYCLE_STEPS.map((step) =>
  step === 'Understand'
    ? { text: step, href: '/', active: true }
    : {
        html: `<span class="app-service-navigation__unavailable">${step}<span class="govuk-visually-hidden"> (not yet available)</span></span>`,
      },
);

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
          env.addGlobal('cycleNavigation', cycleNavigation);
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
    app.addHook('onRequest', async (_request, reply) => {
      reply.locals = { ...reply.locals, cspNonce: reply.cspNonce?.script };
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

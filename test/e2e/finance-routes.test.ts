import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFundingLines } from '../../src/cycle/finance/funding-store.js';
import { findPaymentModel, listOutcomeLines } from '../../src/cycle/finance/payment-store.js';
import { listPremiumRates } from '../../src/cycle/finance/reference-store.js';
import { listAuditEvents } from '../../src/platform/audit/audit-store.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { fetchCsrf } from '../helpers/csrf.js';
import { createPlanRow } from '../helpers/plans.js';
import { insertImportRow, insertPupilRow } from '../helpers/pupil-rows.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

/** Returns the `value` attribute of the input with this id, still HTML-escaped, or null. */
function fieldValue(body: string, id: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

/** Returns the links of the GOV.UK error summary, in order. */
function summaryLinks(body: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
}

const PBR_FORM = {
  kind: 'payment_by_results',
  upfront: '2,500',
  cap: '7000',
  'tariff-0-outcome': 'Attendance rises to 90% or more',
  'tariff-0-price': '400',
  'tariff-0-evidence': 'Attendance report',
  'tariff-0-hopedUnits': '12',
  'tariff-0-unitCostKey': 'persistent_truant',
  'tariff-1-outcome': 'No suspension this year',
  'tariff-1-price': '300',
  'tariff-1-evidence': 'Behaviour log',
  'tariff-1-hopedUnits': '8',
  'tariff-1-unitCostKey': '',
  'firstDate-day': '1',
  'firstDate-month': '9',
  'firstDate-year': '2025',
  instalments: '3',
  monthsApart: '1',
};

describe('finance routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let planId: number;
  let otherPlanId: number;
  let planUrl: string;

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (
      await createSchool(db, { laestab: '8014001', name: 'Brookfield', phase: 'secondary' })
    ).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside' })).id;
    planId = await createPlanRow(db, schoolId, {
      title: 'Mentoring',
      budgetPence: 700_000,
      staffHours: 40,
    });
    otherPlanId = await createPlanRow(db, otherSchoolId, { title: 'Tutoring' });
    planUrl = `/schools/${schoolId}/plans/${planId}`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function post(formUrl: string, url: string, fields: Record<string, string>) {
    const csrf = await fetchCsrf(testApp, formUrl);
    return testApp.inject({
      method: 'POST',
      url,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, ...fields },
    });
  }

  const fundingFields = {
    source: 'pupil_premium',
    funder: '',
    amount: '£7,000',
    status: 'secured',
    financialYear: '2025',
    expectedDay: '',
    expectedMonth: '',
    expectedYear: '',
    note: 'Mentoring for years 8 and 9',
  };

  it('funds a plan fully', async () => {
    const { email } = await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${planUrl}/funding/new`, `${planUrl}/funding/new`, fundingFields);

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${planUrl}/finance?saved=funding`);
    const lines = await listFundingLines(testApp.database.db, schoolId, planId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      amountPence: 700_000,
      status: 'secured',
      financialYear: 2025,
    });
    const page = await testApp.inject({ method: 'GET', url: response.headers.location });
    expect(page.body).toContain('Funding saved');
    expect(page.body).toContain('Fully funded');
    const overview = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/finance` });
    expect(overview.body).toContain('Fully funded');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'funding-line-added',
    });
    expect(event?.userEmail).toBe(email);
    const trail = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/audit` });
    expect(trail.body).toContain('Funding added');
    expect(trail.body).toContain('Amount £7,000.00');
    expect(event?.details).toEqual({
      planId,
      source: 'pupil_premium',
      amountPence: 700_000,
      status: 'secured',
      financialYear: 2025,
    });
  });

  it('shows what is still to secure', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/funding/new`, `${planUrl}/funding/new`, {
      ...fundingFields,
      amount: '2,000',
      status: 'applied_for',
    });

    const overview = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/finance` });

    expect(overview.body).toContain('Still to secure');
    expect(overview.body).toContain('Not fully funded');
  });

  it('keeps a bad amount and saves nothing', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${planUrl}/funding/new`, `${planUrl}/funding/new`, {
      ...fundingFields,
      amount: '7,000.505',
      expectedDay: '31',
      expectedMonth: '2',
      expectedYear: '2026',
    });

    expect(response.statusCode).toBe(422);
    expect(fieldValue(response.body, 'amount')).toBe('7,000.505');
    expect(fieldValue(response.body, 'expectedDate-day')).toBe('31');
    expect(fieldValue(response.body, 'funder')).toBe('');
    expect(response.body).toContain('Mentoring for years 8 and 9');
    expect(summaryLinks(response.body)).toEqual(['#amount', '#expectedDate-day']);
    expect(response.body).toContain(
      'Amount must have no more than 2 decimal places, like 5,000.50',
    );
    expect(response.body).toContain('Expected date must be a real date');
    expect(response.body).toContain('<title>Error: ');
    expect(await listFundingLines(testApp.database.db, schoolId, planId)).toEqual([]);
    expect(
      await listAuditEvents(testApp.database.db, schoolId, { action: 'funding-line-added' }),
    ).toEqual([]);
  });

  it('changes a funding line', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/funding/new`, `${planUrl}/funding/new`, {
      ...fundingFields,
      status: 'applied_for',
    });
    const [line] = await listFundingLines(testApp.database.db, schoolId, planId);
    const lineUrl = `${planUrl}/funding/${line?.id}`;

    const form = await testApp.inject({ method: 'GET', url: lineUrl });
    const response = await post(lineUrl, lineUrl, { ...fundingFields, status: 'received' });

    expect(fieldValue(form.body, 'amount')).toBe('7000.00');
    expect(form.body).toMatch(/value="applied_for" checked/);
    expect(response.statusCode).toBe(303);
    const [changed] = await listFundingLines(testApp.database.db, schoolId, planId);
    expect(changed?.status).toBe('received');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'funding-line-changed',
    });
    expect(event?.details).toMatchObject({ fromStatus: 'applied_for', status: 'received' });
  });

  it('hides another school’s plan', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/plans/${otherPlanId}/finance`,
    });
    const form = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/plans/${otherPlanId}/funding/new`,
    });

    expect(page.statusCode).toBe(404);
    expect(form.statusCode).toBe(404);
  });

  it('lets a governor read only', async () => {
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({ method: 'GET', url: `${planUrl}/finance` });
    const form = await testApp.inject({ method: 'GET', url: `${planUrl}/funding/new` });

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add funding');
    expect(form.statusCode).toBe(403);
  });

  it('sets payment by results', async () => {
    const { email } = await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, PBR_FORM);

    expect(response.statusCode).toBe(303);
    const stored = await findPaymentModel(testApp.database.db, schoolId, planId);
    expect(stored?.model).toMatchObject({
      kind: 'payment_by_results',
      upfrontPence: 250_000,
      capPence: 700_000,
    });
    expect(response.headers.location).toBe(`${planUrl}/finance?saved=payment-model`);
    const page = await testApp.inject({ method: 'GET', url: response.headers.location });
    expect(page.body).toContain('Payment model saved');
    expect(page.body).toContain('£833.33');
    expect(page.body).toContain('£833.34');
    expect(page.body).toContain('outcome payments add at most £4,500.00');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'payment-model-saved',
    });
    expect(event?.userEmail).toBe(email);
    expect(event?.details).toMatchObject({
      planId,
      kind: 'payment_by_results',
      expectedPence: 700_000,
      maximumPence: 700_000,
    });

    const again = await testApp.inject({ method: 'GET', url: `${planUrl}/payment-model` });
    expect(fieldValue(again.body, 'upfront')).toBe('2500.00');
    expect(fieldValue(again.body, 'tariff-1-price')).toBe('300.00');
  });

  it('rejects a cap below the up-front payment', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, {
      ...PBR_FORM,
      cap: '2,000',
      'tariff-1-price': '-300',
      'firstDate-day': '',
    });

    expect(response.statusCode).toBe(422);
    expect(fieldValue(response.body, 'cap')).toBe('2,000');
    expect(fieldValue(response.body, 'tariff-1-price')).toBe('-300');
    expect(fieldValue(response.body, 'tariff-0-outcome')).toBe('Attendance rises to 90% or more');
    expect(summaryLinks(response.body)).toEqual(['#cap', '#tariff-1-price', '#firstDate-day']);
    expect(response.body).toContain('Cap must be at least the up-front payment of £2,500.00');
    expect(await findPaymentModel(testApp.database.db, schoolId, planId)).toBeUndefined();
  });

  it('points a price error at its kind', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, {
      ...PBR_FORM,
      kind: 'per_pupil',
      'price-per_pupil': '90.001',
      'units-per_pupil': '25',
    });

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual(['#price-per_pupil']);
    expect(fieldValue(response.body, 'price-per_pupil')).toBe('90.001');
  });

  it('settles outcome lines', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, PBR_FORM);
    const stored = await findPaymentModel(testApp.database.db, schoolId, planId);
    const [attendance, suspension] =
      stored?.model.kind === 'payment_by_results' ? stored.model.tariffs : [];
    const settlementUrl = `${planUrl}/settlement`;
    const line = (tariff: string, unit: string, extra: Record<string, string> = {}) =>
      post(settlementUrl, settlementUrl, {
        tariff,
        unitReference: unit,
        status: 'evidenced',
        evidenceReference: `Report for ${unit}`,
        ...extra,
      });

    for (let pupil = 1; pupil <= 8; pupil++) await line(attendance?.key ?? '', `P-0${pupil}`);
    for (let pupil = 11; pupil <= 15; pupil++) await line(suspension?.key ?? '', `P-${pupil}`);
    const disputed = await line(suspension?.key ?? '', 'P-16', { disputed: 'yes' });

    expect(disputed.statusCode).toBe(303);
    expect(disputed.headers.location).toBe(`${settlementUrl}?saved=outcome`);
    const page = await testApp.inject({ method: 'GET', url: disputed.headers.location });
    expect(page.body).toContain('Outcome saved');
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Earned by evidenced outcomes £4,700.00');
    expect(text).toContain('Taken off by the cap £200.00');
    expect(text).toContain('Total under the contract £7,000.00');
    expect(text).toContain('Held back for disputes £300.00');
    expect(text).toContain('Disputed: not paid until the dispute is resolved');
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'outcome-line-recorded',
    });
    expect(events).toHaveLength(14);
    expect(JSON.stringify(events.map((event) => event.details))).not.toContain('P-16');

    const lines = await listOutcomeLines(testApp.database.db, schoolId, planId);
    const disputedUrl = `${settlementUrl}/${lines.at(-1)?.id}`;
    const resolved = await post(disputedUrl, disputedUrl, {
      tariff: suspension?.key ?? '',
      unitReference: 'P-16',
      status: 'evidenced',
      evidenceReference: 'Agreed at review meeting',
      disputed: '',
    });
    expect(resolved.statusCode).toBe(303);
    const after = await testApp.inject({ method: 'GET', url: settlementUrl });
    expect(after.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Held back for disputes £0.00',
    );
    const [changed] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'outcome-line-changed',
    });
    expect(changed?.details).toMatchObject({ fromDisputed: true, disputed: false });
  });

  it('keeps a bad outcome line', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, PBR_FORM);
    const settlementUrl = `${planUrl}/settlement`;

    const response = await post(settlementUrl, settlementUrl, {
      tariff: '',
      unitReference: 'P-07',
      status: 'partly_evidenced',
      evidenceReference: '',
    });

    expect(response.statusCode).toBe(422);
    expect(fieldValue(response.body, 'unitReference')).toBe('P-07');
    expect(summaryLinks(response.body)).toEqual(['#tariff', '#evidenceReference']);
    expect(await listOutcomeLines(testApp.database.db, schoolId, planId)).toEqual([]);
  });

  it('keeps tariffs with outcomes', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, PBR_FORM);
    const stored = await findPaymentModel(testApp.database.db, schoolId, planId);
    const suspension =
      stored?.model.kind === 'payment_by_results' ? stored.model.tariffs[1] : undefined;
    await post(`${planUrl}/settlement`, `${planUrl}/settlement`, {
      tariff: suspension?.key ?? '',
      unitReference: 'P-11',
      status: 'evidenced',
      evidenceReference: 'Log',
    });

    const response = await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, {
      ...PBR_FORM,
      'tariff-1-outcome': '',
      'tariff-1-price': '',
      'tariff-1-evidence': '',
      'tariff-1-hopedUnits': '',
    });

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual(['#tariff-1-outcome']);
    expect(response.body).toContain('Tariff 2 has outcomes recorded against it for settlement');
    const after = await findPaymentModel(testApp.database.db, schoolId, planId);
    expect(after?.model.kind).toBe('payment_by_results');
    expect(after?.model.kind === 'payment_by_results' ? after.model.tariffs : []).toHaveLength(2);
  });

  it('asks for the kind first', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const url = `${planUrl}/payment-model`;

    const choose = await testApp.inject({ method: 'GET', url });
    const details = await testApp.inject({ method: 'GET', url: `${url}?kind=per_pupil` });
    await post(url, url, PBR_FORM);
    const stored = await testApp.inject({ method: 'GET', url });
    const again = await testApp.inject({ method: 'GET', url: `${url}?choose=kind` });
    const unknown = await testApp.inject({ method: 'GET', url: `${url}?kind=barter` });

    expect(choose.body).toContain('How is the provider paid?');
    expect(choose.body).not.toContain('id="price-per_pupil"');
    expect(details.body).toContain('id="price-per_pupil"');
    expect(details.body).toContain('name="kind" value="per_pupil"');
    expect(fieldValue(stored.body, 'upfront')).toBe('2500.00');
    expect(again.body).toMatch(/value="payment_by_results" checked/);
    expect(fieldValue(unknown.body, 'upfront')).toBe('2500.00');
  });

  it('keeps results with outcomes', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const url = `${planUrl}/payment-model`;
    await post(url, url, PBR_FORM);
    const stored = await findPaymentModel(testApp.database.db, schoolId, planId);
    const tariff =
      stored?.model.kind === 'payment_by_results' ? stored.model.tariffs[0] : undefined;
    await post(`${planUrl}/settlement`, `${planUrl}/settlement`, {
      tariff: tariff?.key ?? '',
      unitReference: 'P-01',
      status: 'not_evidenced',
      evidenceReference: '',
    });

    const response = await post(`${url}?kind=fixed_price`, url, {
      ...PBR_FORM,
      kind: 'fixed_price',
      'price-fixed_price': '5000',
      outputs: '12 workshops',
    });

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual(['#kind']);
    expect(response.body).toContain('id="kind"');
    expect(fieldValue(response.body, 'price-fixed_price')).toBe('5000');
    expect((await findPaymentModel(testApp.database.db, schoolId, planId))?.model.kind).toBe(
      'payment_by_results',
    );
  });

  it('works out value for money', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/payment-model`, `${planUrl}/payment-model`, PBR_FORM);
    const valueUrl = `${planUrl}/value-for-money`;

    const before = await testApp.inject({ method: 'GET', url: valueUrl });
    const saved = await post(valueUrl, valueUrl, {
      pupils: '20',
      sessions: '30',
      outcomesAchieved: '13',
      staffHourlyRate: '35.50',
      'avoided-persistent_truant': '12',
    });
    const after = await testApp.inject({ method: 'GET', url: valueUrl });

    expect(before.body).toContain('hours of staff time are not in these costs yet');
    expect(fieldValue(before.body, 'avoided-persistent_truant')).toBe('12');
    expect(saved.statusCode).toBe(303);
    const text = after.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // £7,000.00 expected payment + 40 hours × £35.50 = £8,420.00, as in the worked example.
    expect(text).toContain('Total cost £8,420.00');
    expect(text).toContain('Cost per pupil £421.00');
    expect(text).toContain('Cost per session £280.67');
    expect(text).toContain('Cost per outcome achieved £647.69');
    expect(text).toContain('100% £14,400.00 £0.00 £5,980.00 £1.71');
    expect(text).toContain('50% £7,200.00 £0.00 -£1,220.00 £0.86');
  });

  it('keeps bad value figures', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const valueUrl = `${planUrl}/value-for-money`;

    const response = await post(valueUrl, valueUrl, { pupils: '20.5', staffHourlyRate: '' });

    expect(response.statusCode).toBe(422);
    expect(fieldValue(response.body, 'pupils')).toBe('20.5');
    expect(summaryLinks(response.body)).toEqual(['#pupils', '#staffHourlyRate']);
    expect(
      await listAuditEvents(testApp.database.db, schoolId, { action: 'value-inputs-saved' }),
    ).toEqual([]);
  });

  it('shows the Pupil Premium year', async () => {
    const { db } = testApp.database;
    const importId = await insertImportRow(db, schoolId, 2024);
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A1',
      academicYear: 2024,
      ncYear: '7',
      fsmStart: '2023-01-01',
    });
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A2',
      academicYear: 2024,
      ncYear: '8',
      fsmStart: '2020-01-01',
      previouslyLookedAfter: true,
    });
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A3',
      academicYear: 2024,
      ncYear: '9',
      inCare: true,
      serviceChild: true,
    });
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A4',
      academicYear: 2024,
      ncYear: '12',
      fsmStart: '2023-01-01',
    });
    await testApp.signIn(schoolId, 'senior_leader');
    await post(`${planUrl}/funding/new`, `${planUrl}/funding/new`, {
      ...fundingFields,
      amount: '1,000',
    });

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/pupil-premium?year=2025`,
    });

    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // 1 × £1,075 (not confirmed) + 1 × £2,630 + 1 × £350 = £4,055 to the school.
    expect(text).toContain('Allocation to the school £4,055.00');
    expect(text).toContain('Rate not confirmed');
    expect(text).toContain('The local authority, through its virtual school head');
    expect(text).toContain('1 eligible in nursery or years 12 to 14');
    expect(text).toContain('Mentoring £1,000.00 £0.00');
    expect(text).toContain('Left £3,055.00');
  });

  it('names a missing year of rates', async () => {
    await testApp.signIn(schoolId, 'administrator');
    const { db } = testApp.database;
    const importId = await insertImportRow(db, schoolId, 2026);
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A1',
      academicYear: 2026,
      ncYear: '7',
      fsmStart: '2026-01-01',
    });

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/pupil-premium?year=2027`,
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No Pupil Premium rate for 2027-28: Ever-6 FSM, years 7 to 11.');
    expect(page.body).toContain(`href="/schools/${schoolId}/finance/rates?year=2027"`);
  });

  it('saves a year of rates', async () => {
    const { email } = await testApp.signIn(schoolId, 'administrator');
    const ratesUrl = `/schools/${schoolId}/finance/rates?year=2026`;

    const bad = await post(ratesUrl, `/schools/${schoolId}/finance/rates`, {
      year: '2026',
      source: 'DfE technical note 2026 to 2027',
      'rate-ever6_fsm_primary': '1,550.5.0',
    });
    const good = await post(ratesUrl, `/schools/${schoolId}/finance/rates`, {
      year: '2026',
      source: 'DfE technical note 2026 to 2027',
      'rate-ever6_fsm_primary': '1,550',
      confirmed: 'ever6_fsm_primary',
    });

    expect(bad.statusCode).toBe(422);
    expect(fieldValue(bad.body, 'rate-ever6_fsm_primary')).toBe('1,550.5.0');
    expect(good.statusCode).toBe(303);
    const rate = (await listPremiumRates(testApp.database.db, schoolId)).find(
      (item) => item.financialYear === 2026,
    );
    expect(rate).toMatchObject({
      category: 'ever6_fsm_primary',
      pencePerPupil: 155_000,
      confirmed: true,
    });
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'reference-data-changed',
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.userEmail).toBe(email);
    expect(events[0]?.details).toMatchObject({
      financialYear: 2026,
      changes: [{ key: 'ever6_fsm_primary', fromPence: null, toPence: 155_000 }],
    });
  });

  it('rejects a missing rates year', async () => {
    await testApp.signIn(schoolId, 'administrator');

    const response = await post(
      `/schools/${schoolId}/finance/rates`,
      `/schools/${schoolId}/finance/rates`,
      {
        source: 'DfE',
      },
    );

    expect(response.statusCode).toBe(400);
  });

  it('changes a unit cost', async () => {
    await testApp.signIn(schoolId, 'administrator');
    const url = `/schools/${schoolId}/finance/unit-costs`;
    const page = await testApp.inject({ method: 'GET', url });

    const response = await post(url, url, {
      'cost-alternative_provision-amount': '4,500',
      'cost-alternative_provision-source': 'Local authority charging schedule',
      'cost-alternative_provision-sourceDate': '2026-04',
      'cost-permanent_exclusion-amount':
        fieldValue(page.body, 'cost-permanent_exclusion-amount') ?? '',
      'cost-permanent_exclusion-source': 'Commissioning Futures, 2018',
      'cost-permanent_exclusion-sourceDate': '2018-05',
      'cost-persistent_truant-amount': '',
      'cost-persistent_truant-source': 'Commissioning Futures, 2018',
      'cost-persistent_truant-sourceDate': '2018-5',
    });

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual([
      '#cost-persistent_truant-amount',
      '#cost-persistent_truant-sourceDate',
    ]);
    expect(fieldValue(response.body, 'cost-alternative_provision-amount')).toBe('4,500');
  });

  it('serves the help page', async () => {
    const page = await testApp.inject({ method: 'GET', url: '/help/finance' });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('line 15 gets the £100.00 left, £200.00 less than its tariff');
  });
});

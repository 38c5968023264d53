import { describe, expect, it } from 'vitest';
import type { PaymentByResultsModel } from './payment-models.js';
import { parseOutcomeLine, settle, type OutcomeLine } from './settlement.js';

const MODEL: PaymentByResultsModel = {
  kind: 'payment_by_results',
  upfrontPence: 100_000,
  capPence: 200_000,
  tariffs: [
    {
      key: 'A',
      outcome: 'Attendance up',
      pencePerUnit: 40_000,
      evidenceRequired: 'attendance report',
      hopedUnits: 3,
      unitCostKey: null,
    },
    {
      key: 'B',
      outcome: 'Suspension avoided',
      pencePerUnit: 25_000,
      evidenceRequired: 'behaviour log',
      hopedUnits: 2,
      unitCostKey: null,
    },
  ],
};

let nextId = 0;
function line(
  tariffKey: string,
  unitReference: string,
  values: Partial<OutcomeLine> = {},
): OutcomeLine {
  nextId += 1;
  return {
    id: String(nextId),
    tariffKey,
    unitReference,
    status: 'evidenced',
    disputed: false,
    evidenceReference: `Evidence for ${unitReference}`,
    ...values,
  };
}

describe('settle', () => {
  it('pays evidenced lines within the cap', () => {
    const settlement = settle(MODEL, [line('A', 'P-1'), line('B', 'P-2')]);

    expect(settlement.lines.map((item) => item.owedPence)).toEqual([40_000, 25_000]);
    expect(settlement.earnedPence).toBe(65_000);
    expect(settlement.capReductionPence).toBe(0);
    expect(settlement.outcomePaymentsPence).toBe(65_000);
    expect(settlement.totalPence).toBe(165_000);
    expect(settlement.lines.every((item) => item.reason === null)).toBe(true);
  });

  it('cuts the last lines at the cap', () => {
    // Room under the cap: £2,000 − £1,000 = £1,000. Lines earn £400 + £400 + £250 + £400.
    const settlement = settle(MODEL, [
      line('A', 'P-1'),
      line('A', 'P-2'),
      line('B', 'P-3'),
      line('A', 'P-4'),
    ]);

    expect(settlement.lines.map((item) => item.owedPence)).toEqual([40_000, 40_000, 20_000, 0]);
    expect(settlement.lines.map((item) => item.capReductionPence)).toEqual([0, 0, 5_000, 40_000]);
    expect(settlement.lines[2]?.reason).toBe('Reduced by the cap');
    expect(settlement.earnedPence).toBe(145_000);
    expect(settlement.capReductionPence).toBe(45_000);
    expect(settlement.outcomePaymentsPence).toBe(100_000);
    expect(settlement.totalPence).toBe(200_000);
  });

  it('keeps disputed lines apart', () => {
    const settlement = settle(MODEL, [line('A', 'P-1'), line('B', 'P-2', { disputed: true })]);

    const disputed = settlement.lines[1];
    expect(disputed?.outcome).toBe('disputed');
    expect(disputed?.owedPence).toBe(0);
    expect(disputed?.reason).toBe('Disputed: not paid until the dispute is resolved');
    expect(settlement.disputedPence).toBe(25_000);
    expect(settlement.disputedWithinCapPence).toBe(25_000);
    expect(settlement.outcomePaymentsPence).toBe(40_000);
  });

  it('limits disputes to the room left', () => {
    const lines = [
      line('A', 'P-1'),
      line('A', 'P-2'),
      line('B', 'P-3'),
      line('A', 'P-4', { disputed: true, status: 'partly_evidenced' }),
    ];

    const settlement = settle(MODEL, lines);

    // £1,000 room − £1,050 earned: the cap already binds, so upholding the dispute adds nothing.
    expect(settlement.disputedPence).toBe(40_000);
    expect(settlement.disputedWithinCapPence).toBe(0);
    expect(settlement.lines[3]?.outcome).toBe('disputed');
  });

  it('gives reasons for unpaid lines', () => {
    const settlement = settle(MODEL, [
      line('A', 'P-1', { status: 'not_evidenced', evidenceReference: '' }),
      line('A', 'P-2', { status: 'partly_evidenced' }),
      line('B', 'P-3', { evidenceReference: '  ' }),
    ]);

    expect(settlement.lines.map((item) => [item.outcome, item.reason])).toEqual([
      ['not_evidenced', 'Not evidenced: needs attendance report'],
      [
        'awaiting_evidence',
        'Partly evidenced: paid once the evidence is complete (attendance report)',
      ],
      ['awaiting_evidence', 'No evidence reference recorded: add where the evidence is'],
    ]);
    expect(settlement.awaitingEvidencePence).toBe(65_000);
    expect(settlement.totalPence).toBe(100_000);
  });

  it('pays one outcome once', () => {
    const settlement = settle(MODEL, [line('A', 'P-1'), line('B', 'P-1'), line('A', 'p-1 ')]);

    expect(settlement.lines.map((item) => item.outcome)).toEqual(['paid', 'paid', 'duplicate']);
    expect(settlement.lines[2]?.reason).toBe('Same outcome and pupil or unit as line 1: paid once');
    expect(settlement.outcomePaymentsPence).toBe(65_000);
  });

  it('pays every line without a cap', () => {
    const lines = Array.from({ length: 10 }, (_unused, index) => line('A', `P-${index}`));

    const settlement = settle({ ...MODEL, capPence: null }, lines);

    expect(settlement.outcomePaymentsPence).toBe(400_000);
    expect(settlement.totalPence).toBe(500_000);
    expect(settlement.disputedWithinCapPence).toBe(0);
  });

  it('pays nothing more when the cap equals the up-front share', () => {
    const settlement = settle({ ...MODEL, capPence: 100_000 }, [line('A', 'P-1')]);

    expect(settlement.lines[0]?.owedPence).toBe(0);
    expect(settlement.lines[0]?.capReductionPence).toBe(40_000);
    expect(settlement.totalPence).toBe(100_000);
  });

  it('rejects an unknown tariff', () => {
    expect(() => settle(MODEL, [line('Z', 'P-1')])).toThrow(RangeError);
  });
});

describe('parseOutcomeLine', () => {
  const form = {
    tariff: '12',
    unitReference: ' P-07 ',
    status: 'evidenced',
    disputed: '',
    evidenceReference: 'Attendance report, July',
  };

  it('reads a line', () => {
    expect(parseOutcomeLine(form, ['12'])).toEqual({
      ok: true,
      line: {
        tariffKey: '12',
        unitReference: 'P-07',
        status: 'evidenced',
        disputed: false,
        evidenceReference: 'Attendance report, July',
      },
    });
  });

  it('reads a disputed line without evidence', () => {
    const result = parseOutcomeLine(
      { ...form, status: 'not_evidenced', disputed: 'yes', evidenceReference: '' },
      ['12'],
    );

    expect(result.ok && result.line.disputed).toBe(true);
  });

  it('reports every bad field', () => {
    const result = parseOutcomeLine(
      {
        tariff: '99',
        unitReference: 'x'.repeat(41),
        status: 'partly_evidenced',
        disputed: '',
        evidenceReference: ' ',
      },
      ['12'],
    );

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'tariff', message: 'Select the outcome this line claims' },
      {
        field: 'unitReference',
        message: 'Reference must be 40 characters or fewer. Use a code, not a name',
      },
      {
        field: 'evidenceReference',
        message: 'Enter where the evidence is, such as the name and date of a report',
      },
    ]);
  });

  it('needs a status and reference', () => {
    const result = parseOutcomeLine({ ...form, unitReference: '', status: '' }, ['12']);

    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([
      'unitReference',
      'status',
    ]);
  });
});

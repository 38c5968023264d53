/**
 * Settlement of a payment-by-results contract: from the outcome lines the school and provider
 * recorded, what is owed line by line, with the evidence behind each payment.
 *
 * Rules:
 * - A line is paid only when its outcome is evidenced, it has an evidence reference, and it
 *   is not disputed. It earns its tariff's price.
 * - A disputed line is kept apart and paid nothing until the dispute is resolved and the line
 *   recorded again as undisputed, whatever its evidence.
 * - A partly evidenced line waits for the rest of its evidence and is paid nothing yet. A line
 *   marked not evidenced is paid nothing.
 * - A second line for the same tariff and the same pupil or unit is paid nothing, so one
 *   outcome is never paid twice.
 * - The up-front share was paid when the contract began, is never taken back, and counts
 *   towards the cap. Outcome payments can therefore add at most the cap less the up-front share.
 * - When the earned tariffs exceed that room, the cap reduces the lines at the end of the list:
 *   lines are paid in full in the order they were recorded until the room runs out, the line
 *   that crosses it is paid the part that fits, and later payable lines are paid nothing.
 */
import type { PaymentByResultsModel, Tariff } from './payment-models.js';

export const EVIDENCE_STATUSES = ['evidenced', 'partly_evidenced', 'not_evidenced'] as const;

export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export const EVIDENCE_STATUS_LABELS: Readonly<Record<EvidenceStatus, string>> = {
  evidenced: 'Evidenced',
  partly_evidenced: 'Partly evidenced',
  not_evidenced: 'Not evidenced',
};

/** One outcome claimed for one pupil or unit, as recorded for settlement. */
export interface OutcomeLine {
  /** Identifies the line, such as its database id. */
  id: string;
  tariffKey: string;
  /** The pupil or unit the outcome is for, as a reference rather than a name, such as `P-014`. */
  unitReference: string;
  status: EvidenceStatus;
  disputed: boolean;
  /** Where the evidence is, such as `Attendance report 3 July 2026`; empty when there is none. */
  evidenceReference: string;
}

/** What happens to a line at settlement. */
export type LineOutcome = 'paid' | 'disputed' | 'awaiting_evidence' | 'not_evidenced' | 'duplicate';

export interface SettledLine {
  line: OutcomeLine;
  tariff: Tariff;
  outcome: LineOutcome;
  /** The tariff's price when the line is payable, before the cap; 0 otherwise. */
  earnedPence: number;
  /** What the cap took off this line. */
  capReductionPence: number;
  /** What is owed for this line: earned less the cap's reduction. */
  owedPence: number;
  /** Why the line is not paid in full, or null when it is. */
  reason: string | null;
}

export interface Settlement {
  lines: SettledLine[];
  upfrontPence: number;
  capPence: number | null;
  /** Tariffs of every payable line, before the cap. */
  earnedPence: number;
  capReductionPence: number;
  /** Outcome payments owed: earned less the cap's reduction. */
  outcomePaymentsPence: number;
  /** Everything paid under the contract: the up-front share and the outcome payments. */
  totalPence: number;
  /** Tariffs of the disputed lines, held back until the disputes are resolved. */
  disputedPence: number;
  /** What resolving every dispute for the provider could add, within the cap. */
  disputedWithinCapPence: number;
  /** Tariffs of partly evidenced lines, payable once the evidence is complete. */
  awaitingEvidencePence: number;
}

/**
 * Settles a payment-by-results model against its outcome lines, with the rules in this
 * module's header. Lines are taken in the order given, and messages number them from 1 in
 * that order. Throws a `RangeError` for a line whose
 * tariff is not in the model.
 */
export function settle(model: PaymentByResultsModel, lines: readonly OutcomeLine[]): Settlement {
  const tariffs = new Map(model.tariffs.map((tariff) => [tariff.key, tariff]));
  const room =
    model.capPence === null ? Infinity : Math.max(0, model.capPence - model.upfrontPence);
  const seen = new Map<string, string>();
  let paidSoFar = 0;

  const settled = lines.map((line, index): SettledLine => {
    const tariff = tariffs.get(line.tariffKey);
    if (tariff === undefined) {
      throw new RangeError(
        `Outcome line ${line.id} names tariff ${line.tariffKey}, which the model does not have`,
      );
    }
    const unpaid = (outcome: LineOutcome, reason: string): SettledLine => ({
      line,
      tariff,
      outcome,
      earnedPence: 0,
      capReductionPence: 0,
      owedPence: 0,
      reason,
    });

    if (line.disputed) {
      return unpaid('disputed', 'Disputed: not paid until the dispute is resolved');
    }
    if (line.status === 'not_evidenced') {
      return unpaid('not_evidenced', `Not evidenced: needs ${tariff.evidenceRequired}`);
    }
    if (line.status === 'partly_evidenced') {
      return unpaid(
        'awaiting_evidence',
        `Partly evidenced: paid once the evidence is complete (${tariff.evidenceRequired})`,
      );
    }
    if (line.evidenceReference.trim() === '') {
      return unpaid(
        'awaiting_evidence',
        'No evidence reference recorded: add where the evidence is',
      );
    }

    const duplicateKey = `${line.tariffKey}\u0000${line.unitReference.trim().toUpperCase()}`;
    const firstLine = seen.get(duplicateKey);
    if (firstLine !== undefined) {
      return unpaid('duplicate', `Same outcome and pupil or unit as line ${firstLine}: paid once`);
    }
    seen.set(duplicateKey, String(index + 1));

    const earned = tariff.pencePerUnit;
    const owed = Math.min(earned, room - paidSoFar);
    paidSoFar += owed;
    const reduction = earned - owed;
    return {
      line,
      tariff,
      outcome: 'paid',
      earnedPence: earned,
      capReductionPence: reduction,
      owedPence: owed,
      reason: reduction === 0 ? null : 'Reduced by the cap',
    };
  });

  const sum = (pick: (line: SettledLine) => number) =>
    settled.reduce((total, line) => total + pick(line), 0);
  const tariffOf = (outcome: LineOutcome) =>
    sum((line) => (line.outcome === outcome ? line.tariff.pencePerUnit : 0));
  const earnedPence = sum((line) => line.earnedPence);
  const outcomePaymentsPence = sum((line) => line.owedPence);
  const disputedPence = tariffOf('disputed');
  return {
    lines: settled,
    upfrontPence: model.upfrontPence,
    capPence: model.capPence,
    earnedPence,
    capReductionPence: earnedPence - outcomePaymentsPence,
    outcomePaymentsPence,
    totalPence: model.upfrontPence + outcomePaymentsPence,
    disputedPence,
    disputedWithinCapPence: Math.min(disputedPence, room - outcomePaymentsPence),
    awaitingEvidencePence: tariffOf('awaiting_evidence'),
  };
}

/** Longest pupil or unit reference accepted, in characters; a reference is a code, not a name. */
export const MAX_UNIT_REFERENCE_LENGTH = 40;

/** Longest evidence reference accepted, in characters. */
export const MAX_EVIDENCE_REFERENCE_LENGTH = 200;

/** The outcome line form as typed. `disputed` is `yes` when the box is ticked. */
export interface OutcomeLineForm {
  tariff: string;
  unitReference: string;
  status: string;
  disputed: string;
  evidenceReference: string;
}

export type OutcomeLineParseResult =
  | { ok: true; line: Omit<OutcomeLine, 'id'> }
  | { ok: false; errors: { field: string; message: string }[] };

/**
 * Checks an outcome line form. Rejects a tariff not in `tariffKeys`, a missing or too long
 * pupil or unit reference, a missing evidence status, and a line marked evidenced or partly
 * evidenced without saying where the evidence is. Every problem is reported against its field.
 */
export function parseOutcomeLine(
  form: OutcomeLineForm,
  tariffKeys: readonly string[],
): OutcomeLineParseResult {
  const errors: { field: string; message: string }[] = [];
  if (!tariffKeys.includes(form.tariff)) {
    errors.push({ field: 'tariff', message: 'Select the outcome this line claims' });
  }

  const unitReference = form.unitReference.trim();
  if (unitReference === '') {
    errors.push({
      field: 'unitReference',
      message: 'Enter a reference for the pupil or unit, such as an admission number',
    });
  } else if (unitReference.length > MAX_UNIT_REFERENCE_LENGTH) {
    errors.push({
      field: 'unitReference',
      message: `Reference must be ${MAX_UNIT_REFERENCE_LENGTH} characters or fewer. Use a code, not a name`,
    });
  }

  const status = (EVIDENCE_STATUSES as readonly string[]).includes(form.status)
    ? (form.status as EvidenceStatus)
    : null;
  if (status === null)
    errors.push({ field: 'status', message: 'Select how far the outcome is evidenced' });

  const evidenceReference = form.evidenceReference.trim();
  if (status !== null && status !== 'not_evidenced' && evidenceReference === '') {
    errors.push({
      field: 'evidenceReference',
      message: 'Enter where the evidence is, such as the name and date of a report',
    });
  } else if (evidenceReference.length > MAX_EVIDENCE_REFERENCE_LENGTH) {
    errors.push({
      field: 'evidenceReference',
      message: `Evidence reference must be ${MAX_EVIDENCE_REFERENCE_LENGTH} characters or fewer`,
    });
  }

  if (errors.length > 0 || status === null) return { ok: false, errors };
  return {
    ok: true,
    line: {
      tariffKey: form.tariff,
      unitReference,
      status,
      disputed: form.disputed === 'yes',
      evidenceReference,
    },
  };
}

/**
 * Checks the delivery form: whether a need is best met by the school's own staff, an outside
 * service or both, the reasoning on capacity, capability and cost, and the reasons an outside
 * service fits.
 */
import type { NeedDelivery } from '../../platform/db/schema.js';
import { checkText, type FormError } from '../../platform/http/form-fields.js';
import {
  isExternalReason,
  isNeedDelivery,
  type ExternalReason,
  EXTERNAL_REASONS,
} from './need-model.js';

export const REASONING_MAX_LENGTH = 2000;

/** The delivery form as typed. `externalReasons` contains the values of the ticked checkboxes. */
export interface DeliveryFormInput {
  delivery: string;
  capacityReasoning: string;
  capabilityReasoning: string;
  costReasoning: string;
  externalReasons: string[];
}

export interface DeliveryDetails {
  delivery: NeedDelivery;
  capacityReasoning: string;
  capabilityReasoning: string;
  costReasoning: string;
  /** In the order of `EXTERNAL_REASONS`, each at most once, as `checkDeliveryDetails` returns them. */
  externalReasons: ExternalReason[];
}

export type DeliveryDetailsCheck =
  { ok: true; details: DeliveryDetails } | { ok: false; errors: FormError[] };

const REASONING_FIELDS = [
  ['capacityReasoning', 'Capacity'],
  ['capabilityReasoning', 'Capability'],
  ['costReasoning', 'Cost'],
] as const;

/**
 * Checks the delivery form. The choice is required. Each piece of reasoning may be left empty
 * and must fit `REASONING_MAX_LENGTH`. Reasons an outside service fits may be ticked whatever
 * the choice, because a school may see them and still decide to meet the need itself.
 */
export function checkDeliveryDetails(input: DeliveryFormInput): DeliveryDetailsCheck {
  const errors: FormError[] = [];

  if (!isNeedDelivery(input.delivery)) {
    errors.push({ text: 'Select who is best placed to meet the need', href: '#delivery' });
  }

  const reasoning: Partial<Record<(typeof REASONING_FIELDS)[number][0], string>> = {};
  for (const [field, label] of REASONING_FIELDS) {
    const checked = checkText(input[field], { label, maxLength: REASONING_MAX_LENGTH });
    if (checked.ok) reasoning[field] = checked.text;
    else errors.push({ text: checked.message, href: `#${field}` });
  }

  if (!input.externalReasons.every(isExternalReason)) {
    errors.push({ text: 'Select reasons from the list', href: '#externalReasons' });
  }

  if (errors.length > 0 || !isNeedDelivery(input.delivery)) return { ok: false, errors };
  const ticked = new Set(input.externalReasons);
  return {
    ok: true,
    details: {
      delivery: input.delivery,
      capacityReasoning: reasoning.capacityReasoning ?? '',
      capabilityReasoning: reasoning.capabilityReasoning ?? '',
      costReasoning: reasoning.costReasoning ?? '',
      externalReasons: EXTERNAL_REASONS.filter((reason) => ticked.has(reason)),
    },
  };
}

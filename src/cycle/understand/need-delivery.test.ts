import { describe, expect, it } from 'vitest';
import { checkDeliveryDetails, type DeliveryFormInput } from './need-delivery.js';

const INPUT: DeliveryFormInput = {
  delivery: 'external',
  capacityReasoning: ' No staff time until spring ',
  capabilityReasoning: '',
  costReasoning: 'Cheaper than a new post',
  externalReasons: ['specialist_expertise', 'intractable_problem', 'specialist_expertise'],
};

describe('checkDeliveryDetails', () => {
  it('returns reasons in list order, once each', () => {
    expect(checkDeliveryDetails(INPUT)).toEqual({
      ok: true,
      details: {
        delivery: 'external',
        capacityReasoning: 'No staff time until spring',
        capabilityReasoning: '',
        costReasoning: 'Cheaper than a new post',
        externalReasons: ['intractable_problem', 'specialist_expertise'],
      },
    });
  });

  it('allows reasons with internal delivery', () => {
    const result = checkDeliveryDetails({ ...INPUT, delivery: 'internal' });

    expect(result).toMatchObject({
      ok: true,
      details: { externalReasons: ['intractable_problem', 'specialist_expertise'] },
    });
  });

  it('lists every problem', () => {
    expect(
      checkDeliveryDetails({
        delivery: 'outsourced',
        capacityReasoning: 'x'.repeat(2001),
        capabilityReasoning: '',
        costReasoning: 'x'.repeat(2001),
        externalReasons: ['cheaper'],
      }),
    ).toEqual({
      ok: false,
      errors: [
        { text: 'Select who is best placed to meet the need', href: '#delivery' },
        { text: 'Capacity must be 2,000 characters or fewer', href: '#capacityReasoning' },
        { text: 'Cost must be 2,000 characters or fewer', href: '#costReasoning' },
        { text: 'Select reasons from the list', href: '#externalReasons' },
      ],
    });
  });
});

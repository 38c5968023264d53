/**
 * Default reference figures: Pupil Premium rates and the unit costs behind cost-avoided
 * estimates. Each figure is dated and sourced. A school starts with these and an administrator
 * replaces or adds figures as DfE publishes new rates; the logic never reads this file itself.
 */
import type { PremiumRate } from './pupil-premium.js';
import type { UnitCost } from './value-for-money.js';

const RATES_2024_SOURCE =
  'DfE, Pupil premium: conditions of grant and technical note 2024 to 2025, as reproduced by schools';
const RATES_2025_SOURCE =
  'DfE, Pupil premium: conditions of grant and technical note 2025 to 2026, as reproduced by schools';

/** Per-pupil rates for financial years 2024-25 and 2025-26. No 2026-27 rates were found. */
export const DEFAULT_PREMIUM_RATES: readonly PremiumRate[] = [
  rate(2024, 'ever6_fsm_primary', 148_000, RATES_2024_SOURCE, true),
  rate(2024, 'ever6_fsm_secondary', 105_000, RATES_2024_SOURCE, true),
  rate(2024, 'looked_after', 257_000, RATES_2024_SOURCE, true),
  rate(2024, 'previously_looked_after', 257_000, RATES_2024_SOURCE, true),
  rate(2024, 'service_child', 34_000, RATES_2024_SOURCE, true),
  rate(2025, 'ever6_fsm_primary', 151_500, RATES_2025_SOURCE, true),
  // Seen only in secondary sources; check it against DfE's technical note before relying on it.
  rate(2025, 'ever6_fsm_secondary', 107_500, RATES_2025_SOURCE, false),
  rate(2025, 'looked_after', 263_000, RATES_2025_SOURCE, true),
  rate(2025, 'previously_looked_after', 263_000, RATES_2025_SOURCE, true),
  rate(2025, 'service_child', 35_000, RATES_2025_SOURCE, true),
];

const GUIDE_SOURCE =
  'Commissioning Futures: A Guide for Schools, The Young Foundation, May 2018, which cites its own sources';

/**
 * Costs that a better outcome can avoid, quoted by the Commissioning Futures guide. They are
 * estimates from 2018 and not adjusted for inflation.
 */
export const DEFAULT_UNIT_COSTS: readonly UnitCost[] = [
  {
    key: 'alternative_provision',
    label: 'Alternative provision for an excluded pupil',
    unit: 'excluded pupil',
    pence: 400_000,
    bornBy: 'school',
    source: GUIDE_SOURCE,
    sourceDate: '2018-05',
  },
  {
    key: 'permanent_exclusion',
    label: 'One permanent exclusion, total cost to the education system',
    unit: 'exclusion',
    pence: 2_000_000,
    bornBy: 'education_system',
    source: GUIDE_SOURCE,
    sourceDate: '2018-05',
  },
  {
    key: 'persistent_truant',
    label: 'One persistent truant, cost to the education system',
    unit: 'pupil',
    pence: 120_000,
    bornBy: 'education_system',
    source: GUIDE_SOURCE,
    sourceDate: '2018-05',
  },
];

function rate(
  financialYear: number,
  category: PremiumRate['category'],
  pencePerPupil: number,
  source: string,
  confirmed: boolean,
): PremiumRate {
  return { financialYear, category, pencePerPupil, source, confirmed };
}

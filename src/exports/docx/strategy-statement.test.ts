import { describe, expect, it } from 'vitest';

import { extractDocxText, findLineOutOfOrder } from '../../../test/helpers/docx-text.js';
import { completeStatement } from '../../../test/fixtures/strategy-statement.js';
import { buildStrategyStatementDocument } from './strategy-statement.js';

describe('buildStrategyStatementDocument', () => {
  it('follows the template order', async () => {
    const text = await extractDocxText(await buildStrategyStatementDocument(completeStatement()));

    expect(
      findLineOutOfOrder(text, [
        'Pupil Premium strategy statement: Brookfield Academy',
        'School overview',
        'School name | Brookfield Academy',
        'Number of pupils in school | 1,146',
        'Pupils eligible for Pupil Premium | 202',
        'Proportion of pupils eligible for Pupil Premium | 17.6%',
        'Academic years this statement covers | 2025/26 to 2027/28',
        'Date published | 4 December 2026',
        'Date of next review | 1 October 2027',
        'Statement authorised by | Mrs K Shah, headteacher',
        'Pupil Premium lead | Mr J Okafor, deputy head',
        'Governor or trustee lead | Dr R Evans',
        'Funding overview',
        'Pupil Premium allocation this academic year | £218,760.00',
        'Pupil Premium carried forward from previous years | £12,500.50',
        'Total budget for this academic year | £231,260.50',
        'Part A: Pupil Premium strategy plan',
        'Statement of intent',
        'Every pupil reads fluently by Year 8.',
        'No pupil misses out on trips.',
        'Challenges',
        'Challenge number | Detail of the challenge',
        '1 | Reading ages of disadvantaged pupils at entry are low.',
        '2 | Persistent absence is twice that of peers.',
        'Intended outcomes',
        'Intended outcome | Success criteria',
        'Better reading | Reading age gap under 6 months by 2028',
        'Better attendance | Persistent absence below 15%',
        'Activity in this academic year',
        'Teaching',
        'Budgeted cost: £80,000.00',
        'Activity | Evidence that supports this approach | Challenge numbers addressed',
        'Reading CPD for all staff | EEF guidance on literacy in secondary schools | 1',
        'Targeted academic support',
        'Budgeted cost: £95,000.50',
        'Small-group reading tuition | EEF Toolkit: small group tuition, +4 months | 1, 2',
        'Wider strategies',
        'Budgeted cost: £50,000.00',
        'Attendance officer | DfE guidance on working together to improve attendance | 2',
        'Total budgeted cost of activity: £225,000.50',
        'Part B: Review of outcomes in the previous academic year',
        'Outcomes for disadvantaged pupils in 2024/25',
        'Reading ages rose by 9 months on average.',
        'Externally provided programmes',
        'Programme | Provider',
        'Reading mentors | Read Together CIC',
        'Service pupil premium funding',
        'How the school spent it | A mentor for service children.',
        'Its effect on eligible pupils | Attendance of service children rose.',
        'Further information',
        'Our trust shares a literacy lead.',
      ]),
    ).toBeNull();
  });

  it('shows Not given for missing figures', async () => {
    const data = completeStatement();
    data.pupilCount = null;
    data.funding.allocationPence = null;
    data.activity.teaching.budgetedCostPence = null;
    data.challenges = [];
    data.intendedOutcomes = [];
    data.activity.teaching.activities = [];
    data.activity.targetedSupport.activities = [];
    data.activity.widerStrategies.activities = [];
    data.previousYear.externalProgrammes = [];
    data.previousYear.servicePupilPremium = null;
    data.furtherInformation = '';

    const text = await extractDocxText(await buildStrategyStatementDocument(data));

    expect(
      findLineOutOfOrder(text, [
        'Number of pupils in school | Not given',
        'Proportion of pupils eligible for Pupil Premium | Not given',
        'Pupil Premium allocation this academic year | Not given',
        'Total budget for this academic year | Not given',
        'Challenges',
        'Not given',
        'Intended outcomes',
        'Not given',
        'Teaching',
        'Budgeted cost: Not given',
        'Not given',
        'Total budgeted cost of activity: Not given',
        'Externally provided programmes',
        'Not given',
        'Service pupil premium funding',
        'The school had no service pupil premium.',
        'Further information',
        'Not given',
      ]),
    ).toBeNull();
  });

  it('keeps XML special characters intact', async () => {
    const data = completeStatement();
    data.schoolName = 'St Mary & St John\'s "Federation" <North>';
    data.challenges[0] = 'Reading < age & "fluency" gaps';
    data.previousYear.externalProgrammes[0] = {
      programme: 'A&B <Reading>',
      provider: "O'Neill & Co",
    };

    const text = await extractDocxText(await buildStrategyStatementDocument(data));

    expect(text).toContain('School name | St Mary & St John\'s "Federation" <North>');
    expect(text).toContain('1 | Reading < age & "fluency" gaps');
    expect(text).toContain("A&B <Reading> | O'Neill & Co");
  });

  it('rejects an unknown challenge number', async () => {
    const data = completeStatement();
    data.activity.teaching.activities[0]!.challengeNumbers = [7];

    await expect(buildStrategyStatementDocument(data)).rejects.toThrow(/addresses challenge 7/);
  });
});

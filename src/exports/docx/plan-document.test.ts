import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';

import { extractDocxText, findLineOutOfOrder } from '../../../test/helpers/docx-text.js';
import { buildPlanDocument, type PlanDocumentData } from './plan-document.js';

function completePlan(): PlanDocumentData {
  return {
    schoolName: 'Brookfield Academy',
    planTitle: 'Reading mentors for Year 7',
    version: 3,
    statusLabel: 'Approved',
    producedOn: '4 December 2026',
    need: {
      title: 'Disadvantaged Year 7 pupils read below their age',
      description:
        'Reading ages at entry are 14 months behind peers.\nThe gap has grown for 3 years.',
    },
    outcomes: [
      {
        description: 'Disadvantaged Year 7 pupils read at their age',
        measure: 'Standardised reading score',
        pupils: 'Disadvantaged pupils in Year 7 (42 pupils)',
        baseline: '88.4 (taken 15 September 2026)',
        target: '95.0',
        targetDate: '16 July 2027',
      },
      {
        description: 'Fewer of them are persistently absent',
        measure: 'Persistent absence rate',
        pupils: 'The target audience',
        baseline: '31.0% (2025/26)',
        target: '20.0%',
        targetDate: '16 July 2027',
      },
    ],
    outputs: [
      { description: 'Mentoring sessions held', target: '30' },
      { description: 'Reading books sent home', target: null },
    ],
    alignment: {
      priority: 'Priority 2: Reading across the curriculum',
      note: 'Supports the literacy strand.',
    },
    audience: { rule: 'year = 7 and disadvantaged', pupilCount: '42' },
    timeframe: { start: '1 October 2026', end: '16 July 2027' },
    budget: { money: '£4,500.00', staffHours: '40 hours' },
    keyContact: 'Ms A Patel, English lead',
    responsibleLeader: 'Mr J Okafor, deputy head',
    evaluationStrategy: 'Reading tests in September and July, compared with Year 8.',
    band: { name: 'Medium', optionalSections: ['Outputs', 'Staff time'] },
    approval: {
      submittedBy: 'Ms A Patel',
      submittedOn: '20 September 2026',
      decidedBy: 'Mr J Okafor',
      decidedOn: '22 September 2026',
      decision: 'Approved',
      basis: 'Senior leader, within the £10,000.00 limit',
      comment: 'Review at Easter.',
    },
  };
}

/** Builds a plan with every optional value left empty or null. */
function emptyPlan(): PlanDocumentData {
  return {
    ...completePlan(),
    need: { title: 'Attendance', description: '' },
    outcomes: [],
    outputs: [],
    alignment: { priority: null, note: '' },
    audience: { rule: null, pupilCount: null },
    timeframe: { start: null, end: null },
    budget: { money: null, staffHours: null },
    keyContact: '',
    responsibleLeader: '   ',
    evaluationStrategy: '',
    band: null,
    approval: null,
  };
}

describe('buildPlanDocument', () => {
  it('writes a zip file', async () => {
    const buffer = await buildPlanDocument(completePlan());

    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('lays out every section in order', async () => {
    const text = await extractDocxText(await buildPlanDocument(completePlan()));

    expect(
      findLineOutOfOrder(text, [
        'Reading mentors for Year 7',
        'Commissioning plan for Brookfield Academy',
        'School | Brookfield Academy',
        'Version | 3',
        'Status | Approved',
        'Produced on | 4 December 2026',
        'The need this plan addresses',
        'Need | Disadvantaged Year 7 pupils read below their age',
        'What the school found | Reading ages at entry are 14 months behind peers.',
        'The gap has grown for 3 years.',
        'Part 1: before you choose a service',
        'Intended outcomes',
        'Outcome 1',
        'Outcome | Disadvantaged Year 7 pupils read at their age',
        'Measure | Standardised reading score',
        'Pupils | Disadvantaged pupils in Year 7 (42 pupils)',
        'Baseline | 88.4 (taken 15 September 2026)',
        'Target | 95.0',
        'By when | 16 July 2027',
        'Outcome 2',
        'Outcome | Fewer of them are persistently absent',
        'Baseline | 31.0% (2025/26)',
        'Outputs',
        'Output | Target',
        'Mentoring sessions held | 30',
        'Reading books sent home | Not given',
        'Alignment, audience, timing and resources',
        'Alignment with the school improvement plan | Priority: Priority 2: Reading across the curriculum',
        'How the plan supports it: Supports the literacy strand.',
        'Target audience | Eligibility rule: year = 7 and disadvantaged',
        'Pupils who meet it now: 42',
        'Timeframe | Starts: 1 October 2026',
        'Ends: 16 July 2027',
        'Budget | Money: £4,500.00',
        'Staff time: 40 hours',
        'Key contact | Ms A Patel, English lead',
        'Part 2: once you have chosen a service',
        'Responsible senior leader | Mr J Okafor, deputy head',
        'Evaluation strategy | Reading tests in September and July, compared with Year 8.',
        'Proportionality',
        'Band | Medium',
        'Sections this band makes optional | Outputs',
        'Staff time',
        'Approval record',
        'Submitted by | Ms A Patel',
        'Submitted on | 20 September 2026',
        'Decision | Approved',
        'Decided by | Mr J Okafor',
        'Decided on | 22 September 2026',
        'Basis for the decision | Senior leader, within the £10,000.00 limit',
        'Comment | Review at Easter.',
      ]),
    ).toBeNull();
  });

  it('keeps outputs apart from outcomes', async () => {
    const text = await extractDocxText(await buildPlanDocument(completePlan()));
    const lines = text.split('\n');

    const outputsHeading = lines.indexOf('Outputs');
    const lastOutcome = lines.indexOf('Outcome | Fewer of them are persistently absent');
    const firstOutput = lines.indexOf('Mentoring sessions held | 30');

    expect(lastOutcome).toBeLessThan(outputsHeading);
    expect(outputsHeading).toBeLessThan(firstOutput);
  });

  it('shows Not given for empty values', async () => {
    const text = await extractDocxText(await buildPlanDocument(emptyPlan()));

    expect(
      findLineOutOfOrder(text, [
        'What the school found | Not given',
        'Intended outcomes',
        'Not given',
        'Outputs',
        'Not given',
        'Alignment with the school improvement plan | Priority: Not given',
        'How the plan supports it: Not given',
        'Target audience | Eligibility rule: Not given',
        'Pupils who meet it now: Not given',
        'Timeframe | Starts: Not given',
        'Ends: Not given',
        'Budget | Money: Not given',
        'Staff time: Not given',
        'Key contact | Not given',
        'Responsible senior leader | Not given',
        'Evaluation strategy | Not given',
        'Band | Not given',
        'Sections this band makes optional | Not given',
        'This version has not been submitted for approval.',
      ]),
    ).toBeNull();
    expect(text).not.toContain('Outcome 1');
    expect(text).not.toContain('Submitted by');
  });

  it('says when a band makes nothing optional', async () => {
    const plan = { ...completePlan(), band: { name: 'Large', optionalSections: [] } };

    const text = await extractDocxText(await buildPlanDocument(plan));

    expect(text).toContain(
      'Sections this band makes optional | None: this band asks for every section',
    );
  });

  it('shows an undecided approval', async () => {
    const plan = completePlan();
    plan.approval = {
      submittedBy: 'Ms A Patel',
      submittedOn: '20 September 2026',
      decidedBy: null,
      decidedOn: null,
      decision: null,
      basis: null,
      comment: null,
    };

    const text = await extractDocxText(await buildPlanDocument(plan));

    expect(
      findLineOutOfOrder(text, [
        'Submitted by | Ms A Patel',
        'Decision | Not given',
        'Decided by | Not given',
        'Comment | Not given',
      ]),
    ).toBeNull();
  });

  it('keeps XML special characters intact', async () => {
    const plan = completePlan();
    plan.schoolName = 'St Mary & St John\'s "Federation" <North>';
    plan.need.title = 'Pupils scoring < 85 & absent > 10%';
    plan.outcomes[0]!.target = "95 ]]> '&amp;' <b>bold</b>";
    plan.approval!.comment = 'Approved "as is" & <unchanged>';

    const text = await extractDocxText(await buildPlanDocument(plan));

    expect(text).toContain('School | St Mary & St John\'s "Federation" <North>');
    expect(text).toContain('Commissioning plan for St Mary & St John\'s "Federation" <North>');
    expect(text).toContain('Need | Pupils scoring < 85 & absent > 10%');
    expect(text).toContain("Target | 95 ]]> '&amp;' <b>bold</b>");
    expect(text).toContain('Comment | Approved "as is" & <unchanged>');
  });

  it('replaces characters XML forbids', async () => {
    const plan = completePlan();
    plan.keyContact = 'Ms\u0001 Patel\uFFFE and \uD800 Mr Okafor';

    const buffer = await buildPlanDocument(plan);
    const text = await extractDocxText(buffer);

    expect(text).toContain('Key contact | Ms\uFFFD Patel\uFFFD and \uFFFD Mr Okafor');
  });

  it('keeps emoji and accents', async () => {
    const plan = completePlan();
    plan.keyContact = 'Zoë Ñúñez 📚';

    const text = await extractDocxText(await buildPlanDocument(plan));

    expect(text).toContain('Key contact | Zoë Ñúñez 📚');
  });

  it('keeps blank lines between paragraphs', async () => {
    const plan = completePlan();
    plan.evaluationStrategy = 'Tests in September.\r\n\r\nTests in July.';

    const text = await extractDocxText(await buildPlanDocument(plan));

    expect(text).toContain('Evaluation strategy | Tests in September.\n\nTests in July.');
  });

  it('names the plan in the file properties', async () => {
    const zip = await JSZip.loadAsync(await buildPlanDocument(completePlan()));

    const core = (await zip.file('docProps/core.xml')?.async('string')) ?? '';

    expect(core).toContain('<dc:title>Reading mentors for Year 7, version 3</dc:title>');
    expect(core).toContain('<dc:creator>Commissioner</dc:creator>');
    expect(core).toContain('<cp:lastModifiedBy>Commissioner</cp:lastModifiedBy>');
  });

  it('prints the title and page numbers in the footer', async () => {
    const zip = await JSZip.loadAsync(await buildPlanDocument(completePlan()));

    const footer = (await zip.file('word/footer1.xml')?.async('string')) ?? '';

    expect(footer).toContain('Reading mentors for Year 7, version 3 · Page ');
    expect(footer).toContain('PAGE');
    expect(footer).toContain('NUMPAGES');
  });
});

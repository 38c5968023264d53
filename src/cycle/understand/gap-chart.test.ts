import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  estimateTextWidth,
  niceTicks,
  renderGapChart,
  valueRange,
  type GapChart,
  type GapChartRow,
} from './gap-chart.js';

function chartWith(rows: GapChartRow[], overrides: Partial<GapChart> = {}): GapChart {
  return {
    id: 'persistent-absence',
    title: 'Persistent absence, 2024/25',
    description: 'Gap between each group and the rest of the school.',
    axisLabel: 'Gap in percentage points (group minus the rest)',
    rows,
    formatTick: (value) => String(value),
    ...overrides,
  };
}

const disadvantaged: GapChartRow = {
  label: 'Disadvantaged',
  gap: 26.2,
  low: 0.6,
  high: 49.6,
  note: null,
};
const suppressed: GapChartRow = {
  label: 'EHC plan (E)',
  gap: null,
  low: null,
  high: null,
  note: 'Suppressed (fewer than 5 pupils)',
};

describe('niceTicks', () => {
  it.each([
    { range: [0, 10] as [number, number], expected: [0, 2, 4, 6, 8, 10] },
    { range: [-4.1, 0.2] as [number, number], expected: [-5, -4, -3, -2, -1, 0, 1] },
    {
      range: [-0.3727, 0.1183] as [number, number],
      expected: [-0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2],
    },
    { range: [0, 0] as [number, number], expected: [-1, 0, 1] },
    { range: [0, 49.6] as [number, number], expected: [0, 10, 20, 30, 40, 50] },
  ])('covers $range', ({ range, expected }) => {
    expect(niceTicks(range)).toEqual(expected);
  });

  it('includes zero inside the range', () => {
    const ticks = niceTicks([-13.7, 37.8]);

    expect(ticks).toContain(0);
    expect(ticks[0]).toBeLessThanOrEqual(-13.7);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(37.8);
  });
});

describe('valueRange', () => {
  it('spans gaps, interval ends and zero', () => {
    expect(valueRange([disadvantaged, suppressed])).toEqual([0, 49.6]);
  });

  it('is zero to zero with nothing to plot', () => {
    expect(valueRange([suppressed])).toEqual([0, 0]);
  });
});

describe('renderGapChart', () => {
  it('is an image with a title and description', () => {
    const svg = renderGapChart(chartWith([disadvantaged]));

    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-labelledby="persistent-absence-title persistent-absence-desc"');
    expect(svg).toContain(
      '<title id="persistent-absence-title">Persistent absence, 2024/25</title>',
    );
    expect(svg).toContain(
      '<desc id="persistent-absence-desc">Gap between each group and the rest of the school.</desc>',
    );
  });

  it('draws a dot and interval per row', () => {
    const svg = renderGapChart(
      chartWith([disadvantaged, { ...disadvantaged, label: 'Female', gap: -3 }]),
    );

    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg.match(/app-gap-chart__interval/g)).toHaveLength(2);
    expect(svg).toContain('>Disadvantaged</text>');
    expect(svg).toContain('>Female</text>');
  });

  it('shows the note for a suppressed row', () => {
    const svg = renderGapChart(chartWith([disadvantaged, suppressed]));

    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('>EHC plan (E)</text>');
    expect(svg).toContain('>Suppressed (fewer than 5 pupils)</text>');
  });

  it('draws no interval without one', () => {
    const svg = renderGapChart(
      chartWith([{ label: 'Male', gap: 1.5, low: null, high: null, note: null }]),
    );

    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).not.toContain('app-gap-chart__interval');
  });

  it('escapes text', () => {
    const svg = renderGapChart(
      chartWith([{ ...disadvantaged, label: '<script>alert("x")</script> & co' }], {
        title: 'Title "quoted" <b>',
      }),
    );

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(svg).toContain('Title &quot;quoted&quot; &lt;b&gt;');
  });

  it('wraps long labels onto two lines', () => {
    const svg = renderGapChart(
      chartWith([{ ...disadvantaged, label: 'Disadvantaged (Ever-6 FSM or looked after)' }]),
    );

    expect(svg).toContain('<tspan x="314" dy="-3">Disadvantaged (Ever-6 FSM or looked</tspan>');
    expect(svg).toContain('<tspan x="314" dy="18">after)</tspan>');
  });

  it('places zero between negative and positive gaps', () => {
    const svg = renderGapChart(
      chartWith([
        { label: 'A', gap: -10, low: -20, high: 0, note: null },
        { label: 'B', gap: 10, low: 0, high: 20, note: null },
      ]),
    );

    expect(svg).toContain('← group lower than the rest');
    expect(svg).toContain('group higher than the rest →');
  });

  it('shortens a label near the edge', () => {
    // Ticks run from -30 to +10, so zero sits 150 units from the right end of the plot.
    const svg = renderGapChart(
      chartWith([{ label: 'A', gap: -25, low: -30, high: 8, note: null }]),
    );
    const higher = /<text x="([\d.]+)"[^>]*>(higher →)<\/text>/.exec(svg);

    expect(svg).not.toContain('group higher than the rest →');
    expect(higher).not.toBeNull();
    expect(Number(higher?.[1]) + estimateTextWidth('higher →')).toBeLessThanOrEqual(960);
    expect(svg).toContain('← group lower than the rest');
  });

  it('drops a label with no room', () => {
    const svg = renderGapChart(
      chartWith([{ label: 'A', gap: -25, low: -30, high: -2, note: null }]),
    );

    expect(svg).not.toContain('higher');
    expect(svg).toContain('← group lower than the rest');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML characters', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

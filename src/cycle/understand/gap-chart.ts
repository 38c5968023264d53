/**
 * Draws gaps between pupil groups as an SVG dot-and-interval chart, on the server, so it is
 * readable without JavaScript. Each row is one group: a dot at the group's gap from the rest
 * of the school and a line across its 95% confidence interval, against a line at zero.
 *
 * Pure: it takes rows already in display units and returns markup; all text is escaped.
 */

export interface GapChartRow {
  label: string;
  /** Group minus the rest, in the chart's units; null when there is nothing to plot. */
  gap: number | null;
  /** Ends of the confidence interval, in the same units; null when there is no interval. */
  low: number | null;
  high: number | null;
  /** Shown in place of the dot when `gap` is null, for example "Suppressed (fewer than 5 pupils)". */
  note: string | null;
}

export interface GapChart {
  /** Prefix for the ids of the title and description; must be unique on the page. */
  id: string;
  title: string;
  description: string;
  /** Label under the axis, for example "Gap in percentage points (group minus the rest)". */
  axisLabel: string;
  rows: readonly GapChartRow[];
  /** Formats a tick value, for example 5 as `+5`. */
  formatTick: (value: number) => string;
}

const WIDTH = 960;
const LABEL_WIDTH = 330;
const RIGHT_MARGIN = 30;
const TOP = 48;
const ROW_HEIGHT = 40;
const BOTTOM = 72;
const LABEL_LINE_LENGTH = 36;

/**
 * Estimated width of one character of the chart's 16-unit text. Sans-serif fonts average about
 * half an em per character; this estimate errs wide, so that text judged to fit is not clipped.
 */
const CHARACTER_WIDTH = 9;
/** Space kept clear at the edges of the drawing, in SVG units. */
const EDGE_MARGIN = 4;
/** Narrowest stretch of plot beside zero that still gets a direction label. */
const MINIMUM_DIRECTION_SPACE = 60;

/** Direction labels, longest first; the first that fits beside zero is drawn. */
const LOWER_LABELS = ['← group lower than the rest', '← lower'] as const;
const HIGHER_LABELS = ['group higher than the rest →', 'higher →'] as const;

const COLOURS = {
  text: '#0b0c0c',
  secondaryText: '#505a5f',
  grid: '#b1b4b6',
  dot: '#1d70b8',
} as const;

/** Returns the chart as an `<svg>` element with `role="img"`, a `<title>` and a `<desc>`. */
export function renderGapChart(chart: GapChart): string {
  const height = TOP + chart.rows.length * ROW_HEIGHT + BOTTOM;
  const plotLeft = LABEL_WIDTH;
  const plotRight = WIDTH - RIGHT_MARGIN;
  const plotBottom = TOP + chart.rows.length * ROW_HEIGHT;
  const ticks = niceTicks(valueRange(chart.rows));
  const first = ticks[0] ?? -1;
  const last = ticks[ticks.length - 1] ?? 1;
  const x = (value: number): number =>
    plotLeft + ((value - first) / (last - first)) * (plotRight - plotLeft);

  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-gap-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}" focusable="false">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(chart.title)}</title>`,
    `<desc id="${escapeXml(descId)}">${escapeXml(chart.description)}</desc>`,
    ...directionLabels(x(0), plotLeft, plotRight),
    ...ticks.map((tick) => gridLine(x(tick), tick === 0, plotBottom)),
    ...ticks.map((tick) => tickLabel(x(tick), plotBottom, chart.formatTick(tick))),
    text((plotLeft + plotRight) / 2, plotBottom + 56, chart.axisLabel, {
      anchor: 'middle',
      weight: 'bold',
    }),
    ...chart.rows.flatMap((row, index) =>
      drawRow(row, TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2, x, plotLeft),
    ),
    '</svg>',
  ];
  return parts.join('\n');
}

function drawRow(
  row: GapChartRow,
  centreY: number,
  x: (value: number) => number,
  plotLeft: number,
): string[] {
  const parts = [rowLabel(row.label, centreY)];
  if (row.gap === null) {
    if (row.note) {
      parts.push(
        text(plotLeft + 12, centreY + 5, row.note, { colour: COLOURS.secondaryText, italic: true }),
      );
    }
    return parts;
  }
  if (row.low !== null && row.high !== null) {
    const left = x(row.low);
    const right = x(row.high);
    parts.push(
      '<g class="app-gap-chart__interval">',
      line(left, centreY, right, centreY, COLOURS.text, 2),
      line(left, centreY - 7, left, centreY + 7, COLOURS.text, 2),
      line(right, centreY - 7, right, centreY + 7, COLOURS.text, 2),
      '</g>',
    );
  }
  parts.push(
    `<circle cx="${round(x(row.gap))}" cy="${round(centreY)}" r="7" fill="${COLOURS.dot}" stroke="#ffffff" stroke-width="2"/>`,
  );
  return parts;
}

/** Draws a row label, split over two lines when it is long, so that it stays left of the plot. */
function rowLabel(label: string, centreY: number): string {
  const lines = wrapLabel(label);
  const x = LABEL_WIDTH - 16;
  if (lines.length === 1) return text(x, centreY + 5, label, { anchor: 'end' });
  const tspans = lines
    .map(
      (lineText, index) =>
        `<tspan x="${x}" dy="${index === 0 ? -3 : 18}">${escapeXml(lineText)}</tspan>`,
    )
    .join('');
  return `<text x="${x}" y="${round(centreY)}" text-anchor="end" font-size="16" fill="${COLOURS.text}">${tspans}</text>`;
}

function wrapLabel(label: string): string[] {
  if (label.length <= LABEL_LINE_LENGTH) return [label];
  const splitAt = label.lastIndexOf(' ', LABEL_LINE_LENGTH);
  if (splitAt <= 0) return [label];
  return [label.slice(0, splitAt), label.slice(splitAt + 1)];
}

/**
 * Labels the two sides of the zero line. Each label starts 10 units from zero and must end
 * inside the drawing, so where zero is near an edge a shorter label is used, or none.
 */
function directionLabels(zeroX: number, plotLeft: number, plotRight: number): string[] {
  const y = TOP - 20;
  const style = { colour: COLOURS.secondaryText };
  const labels: string[] = [];
  if (zeroX - plotLeft >= MINIMUM_DIRECTION_SPACE) {
    const lower = longestFitting(LOWER_LABELS, zeroX - 10 - EDGE_MARGIN);
    if (lower !== null) labels.push(text(zeroX - 10, y, lower, { ...style, anchor: 'end' }));
  }
  if (plotRight - zeroX >= MINIMUM_DIRECTION_SPACE) {
    const higher = longestFitting(HIGHER_LABELS, WIDTH - EDGE_MARGIN - (zeroX + 10));
    if (higher !== null) labels.push(text(zeroX + 10, y, higher, style));
  }
  return labels;
}

function longestFitting(labels: readonly string[], space: number): string | null {
  return labels.find((label) => estimateTextWidth(label) <= space) ?? null;
}

/** Estimates the width of a line of chart text, in SVG units. */
export function estimateTextWidth(content: string): number {
  return [...content].length * CHARACTER_WIDTH;
}

function gridLine(x: number, isZero: boolean, plotBottom: number): string {
  return isZero
    ? line(x, TOP - 8, x, plotBottom, COLOURS.text, 2)
    : line(x, TOP, x, plotBottom, COLOURS.grid, 1);
}

function tickLabel(x: number, plotBottom: number, label: string): string {
  return text(x, plotBottom + 24, label, { anchor: 'middle' });
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  colour: string,
  width: number,
): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${colour}" stroke-width="${width}"/>`;
}

interface TextStyle {
  anchor?: 'start' | 'middle' | 'end';
  colour?: string;
  weight?: 'bold';
  italic?: boolean;
}

function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    `font-size="16"`,
    `fill="${style.colour ?? COLOURS.text}"`,
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    style.weight ? `font-weight="${style.weight}"` : '',
    style.italic ? 'font-style="italic"' : '',
  ].filter((attribute) => attribute !== '');
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/** Returns the smallest and largest values to show: every gap and interval end, and zero. */
export function valueRange(rows: readonly GapChartRow[]): [number, number] {
  const values = rows
    .flatMap((row) => [row.gap, row.low, row.high])
    .filter((value): value is number => value !== null && Number.isFinite(value));
  return [Math.min(0, ...values), Math.max(0, ...values)];
}

/**
 * Returns evenly spaced tick values (steps of 1, 2 or 5 times a power of ten) that cover
 * `[min, max]` with about five intervals. The first tick is at or below `min` and the last at or
 * above `max`. Zero is one of them whenever the range includes it, as `valueRange` ensures.
 */
export function niceTicks([min, max]: [number, number]): number[] {
  const span = max - min;
  if (span <= 0) return [-1, 0, 1];
  const roughStep = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(roughStep));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= roughStep) ?? 10) * magnitude;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks: number[] = [];
  for (let index = first; index <= last; index++) {
    // Multiplying integer indexes avoids the drift of adding a fractional step repeatedly.
    ticks.push(Number((index * step).toPrecision(12)));
  }
  return ticks;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Escapes text for use in SVG content and attribute values. */
export function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

/**
 * Building blocks shared by our Word documents: headings, paragraphs from text that may hold
 * line breaks, two-column "aspect | what the school wrote" tables, tables with a header row,
 * and the document shell (A4, Arial 11 point, British English, page numbers in the footer).
 */

/** Text shown in place of an empty string, a string of spaces, or null. */
export const NOT_GIVEN = 'Not given';

// A4 is 11,906 twips wide (210 mm). With 1-inch (1,440 twip) margins each side the text column
// is 9,026 twips, and tables get fixed widths in twips that add up to it.
const PAGE_MARGIN_TWIPS = 1440;
const CONTENT_WIDTH_TWIPS = 11906 - 2 * PAGE_MARGIN_TWIPS;

// The aspect column takes 30% of the width, the school's text the rest.
const ASPECT_COLUMN_TWIPS = Math.round(CONTENT_WIDTH_TWIPS * 0.3);
const TEXT_COLUMN_TWIPS = CONTENT_WIDTH_TWIPS - ASPECT_COLUMN_TWIPS;

// GOV.UK Design System's light grey, behind the aspect column and header rows.
const LABEL_SHADING = 'F3F2F1';

// A row that may not split but is taller than the page cannot be shown whole, so only rows
// with short text are kept on one page.
// NOTE: 600 characters (about ten lines of the text column) is an estimate, not measured in Word.
const MAX_UNSPLIT_ROW_CHARACTERS = 600;

// XML 1.0 allows tab, line feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD and the
// astral planes as whole surrogate pairs. docx 9.15.2 drops the other C0 control characters
// itself but writes U+FFFE and U+FFFF, which leave document.xml ill-formed. Node's UTF-8
// encoder would turn a lone surrogate into U+FFFD anyway; matching it here keeps one rule.
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value shown after a bold label, such as "Starts: 1 September 2026". */
export interface LabelledValue {
  label: string;
  value: string | null;
}

/** One row of an aspect table: the aspect's name and what the school wrote for it. */
export interface AspectRow {
  aspect: string;
  /** Text, split into paragraphs at line breaks, or labelled values one after another. */
  content: string | null | readonly LabelledValue[];
}

/** Options for the document shell: the title, a description and the body. */
export interface WordDocumentOptions {
  /** Document title, kept in the file's properties and shown in the footer. */
  title: string;
  /** One-sentence summary kept in the file's properties. */
  description: string;
  children: readonly (Paragraph | Table)[];
}

/**
 * Replaces each character that XML 1.0 forbids with U+FFFD (the replacement character), so a
 * stray control character in pasted text shows as a visible mark instead of corrupting the file.
 */
export function wordSafeText(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD');
}

/** Checks whether text counts as not given: null, empty, or only white space. */
export function isNotGiven(text: string | null | undefined): boolean {
  return text === null || text === undefined || text.trim() === '';
}

/** Returns the text, or "Not given" for null, an empty string or a string of spaces. */
export function textOrNotGiven(text: string | null | undefined): string {
  return isNotGiven(text) ? NOT_GIVEN : (text as string);
}

const HEADING_STYLES = {
  0: HeadingLevel.TITLE,
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
} as const;

/** Builds a heading paragraph that stays on the page of what follows; level 0 is the title. */
export function heading(text: string, level: keyof typeof HEADING_STYLES): Paragraph {
  return new Paragraph({
    heading: HEADING_STYLES[level],
    keepNext: true,
    children: [new TextRun(wordSafeText(text))],
  });
}

/**
 * Builds one paragraph per line of the text, keeping blank lines, because a line feed inside a
 * run's text is not a line break in Word's XML. Null or blank text becomes "Not given".
 */
export function textParagraphs(text: string | null, options: { bold?: boolean } = {}): Paragraph[] {
  return splitLines(textOrNotGiven(text)).map(
    (line) =>
      new Paragraph({ children: [new TextRun({ text: wordSafeText(line), bold: options.bold })] }),
  );
}

/**
 * Builds paragraphs whose first starts with a bold label, such as "Measure: " before the value.
 * A value with line breaks continues in one paragraph per further line.
 */
export function labelledParagraphs(label: string, value: string | null): Paragraph[] {
  const [firstLine = '', ...otherLines] = splitLines(textOrNotGiven(value));
  const first = new Paragraph({
    children: [
      new TextRun({ text: `${label}: `, bold: true }),
      new TextRun(wordSafeText(firstLine)),
    ],
  });
  return [
    first,
    ...otherLines.map((line) => new Paragraph({ children: [new TextRun(wordSafeText(line))] })),
  ];
}

/**
 * Builds a two-column table with the aspect on the left, shaded and bold, and what the school
 * wrote on the right.
 */
export function aspectTable(rows: readonly AspectRow[]): Table {
  return new Table({
    width: { size: CONTENT_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: [ASPECT_COLUMN_TWIPS, TEXT_COLUMN_TWIPS],
    rows: rows.map((row) => {
      const content = contentParagraphs(row.content);
      return new TableRow({
        cantSplit: isShort(row.content),
        children: [
          labelCell(row.aspect, ASPECT_COLUMN_TWIPS),
          new TableCell({
            width: { size: TEXT_COLUMN_TWIPS, type: WidthType.DXA },
            children: content,
          }),
        ],
      });
    }),
  });
}

/**
 * Builds a table whose first row names the columns and repeats at the top of each page.
 * `columnShares` gives each column's share of the width and must add up to 1.
 */
export function columnTable(
  headers: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  columnShares: readonly number[],
): Table {
  const widths = columnShares.map((share) => Math.round(CONTENT_WIDTH_TWIPS * share));
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: headers.map((header, index) => labelCell(header, widths[index] ?? 0)),
  });
  const bodyRows = rows.map(
    (cells) =>
      new TableRow({
        cantSplit: cells.every((cell) => isShort(cell)),
        children: cells.map(
          (cell, index) =>
            new TableCell({
              width: { size: widths[index] ?? 0, type: WidthType.DXA },
              children: textParagraphs(cell),
            }),
        ),
      }),
  );
  return new Table({
    width: { size: CONTENT_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: widths,
    rows: [headerRow, ...bodyRows],
  });
}

/**
 * Packs the body into an A4 Word document (.docx) with our styles and a footer that shows the
 * title and "Page N of M". Resolves to the file's bytes.
 */
export async function packWordDocument(options: WordDocumentOptions): Promise<Buffer> {
  const document = new Document({
    title: wordSafeText(options.title),
    description: wordSafeText(options.description),
    creator: 'Commissioner',
    lastModifiedBy: 'Commissioner',
    styles: documentStyles(),
    sections: [
      {
        properties: {
          page: {
            margin: {
              top: PAGE_MARGIN_TWIPS,
              right: PAGE_MARGIN_TWIPS,
              bottom: PAGE_MARGIN_TWIPS,
              left: PAGE_MARGIN_TWIPS,
            },
          },
        },
        footers: { default: pageFooter(options.title) },
        children: [...options.children],
      },
    ],
  });
  return Packer.toBuffer(document);
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function contentParagraphs(content: AspectRow['content']): Paragraph[] {
  if (content === null || typeof content === 'string') return textParagraphs(content);
  if (content.length === 0) return textParagraphs(null);
  return content.flatMap((item) => labelledParagraphs(item.label, item.value));
}

function isShort(content: AspectRow['content']): boolean {
  const characters =
    content === null || typeof content === 'string'
      ? (content ?? '').length
      : content.reduce((sum, item) => sum + item.label.length + (item.value ?? '').length, 0);
  return characters <= MAX_UNSPLIT_ROW_CHARACTERS;
}

function labelCell(text: string, width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    shading: { type: ShadingType.CLEAR, color: 'auto', fill: LABEL_SHADING },
    children: textParagraphs(text, { bold: true }),
  });
}

function pageFooter(title: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.LEFT,
        children: [
          new TextRun({ text: `${wordSafeText(title)} · Page `, size: 18 }),
          new TextRun({ children: [PageNumber.CURRENT], size: 18 }),
          new TextRun({ text: ' of ', size: 18 }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 18 }),
        ],
      }),
    ],
  });
}

// Sizes are in half-points, as Word's XML stores them: 22 is 11 point. Headings are black
// and bold, in place of docx's default blue, so they print clearly on a black-and-white printer.
function documentStyles() {
  const headingRun = (size: number) => ({ size, bold: true, color: '0B0C0C', font: 'Arial' });
  const headingSpacing = (before: number) => ({ spacing: { before, after: 120 }, keepNext: true });
  return {
    default: {
      document: {
        run: { font: 'Arial', size: 22, language: { value: 'en-GB' } },
        paragraph: { spacing: { after: 80 } },
      },
      title: { run: headingRun(40), paragraph: headingSpacing(0) },
      heading1: { run: headingRun(32), paragraph: headingSpacing(360) },
      heading2: { run: headingRun(26), paragraph: headingSpacing(240) },
      heading3: { run: headingRun(22), paragraph: headingSpacing(200) },
    },
  };
}

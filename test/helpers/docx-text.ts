import JSZip from 'jszip';
import { SaxesParser } from 'saxes';

/**
 * Reads the visible text of a Word document (.docx) so tests can check its words and their
 * order. Unzips `word/document.xml` with JSZip, a different zip library from the fflate that
 * docx writes with, and parses it with saxes, which rejects XML that is not well formed.
 *
 * Each body paragraph becomes one line. Each table row becomes one line with its cells joined
 * by " | ", and the paragraphs inside a cell joined by a line feed. A tab becomes a tab and a
 * line break a line feed. Headers, footers and deleted text are left out.
 */
export async function extractDocxText(buffer: Buffer | Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const entry = zip.file('word/document.xml');
  if (entry === null) {
    throw new Error('Not a Word document: the file has no word/document.xml');
  }
  return documentText(await entry.async('string'));
}

/** Reads the lines of text from the XML of a document body, as `extractDocxText` describes. */
export function documentText(xml: string): string {
  const parser = new SaxesParser({ xmlns: false });
  const lines: string[] = [];
  // Open table rows, innermost last, each with its finished cells; and open cells, each with
  // its finished paragraphs. A nested table's rows end up as paragraphs of the outer cell.
  const rows: string[][] = [];
  const cells: string[][] = [];
  let paragraph = '';
  let inText = false;

  const finishBlock = (text: string) => {
    const cell = cells.at(-1);
    if (cell === undefined) lines.push(text);
    else cell.push(text);
  };

  parser.on('opentag', (tag) => {
    switch (tag.name) {
      case 'w:p':
        paragraph = '';
        break;
      case 'w:t':
        inText = true;
        break;
      case 'w:tab':
        // A tab stop definition inside paragraph properties is also called w:tab.
        if (!tag.attributes['w:pos']) paragraph += '\t';
        break;
      case 'w:br':
      case 'w:cr':
        paragraph += '\n';
        break;
      case 'w:tr':
        rows.push([]);
        break;
      case 'w:tc':
        cells.push([]);
        break;
    }
  });

  parser.on('text', (text) => {
    if (inText) paragraph += text;
  });

  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:p':
        finishBlock(paragraph);
        paragraph = '';
        break;
      case 'w:tc':
        rows.at(-1)?.push((cells.pop() ?? []).join('\n'));
        break;
      case 'w:tr':
        finishBlock((rows.pop() ?? []).join(' | '));
        break;
    }
  });

  parser.write(xml).close();
  return lines.join('\n');
}

/**
 * Finds the first expected line that is missing from the text or comes before the previous
 * expected line, and returns it with the reason. Returns null when every line is there in
 * order. Lines must match whole, after the text is split at line feeds.
 */
export function findLineOutOfOrder(text: string, expected: readonly string[]): string | null {
  const lines = text.split('\n');
  let position = 0;
  for (const line of expected) {
    const index = lines.indexOf(line, position);
    if (index === -1) {
      const earlier = lines.indexOf(line);
      return earlier === -1
        ? `missing: ${JSON.stringify(line)}`
        : `out of order: ${JSON.stringify(line)} is on line ${earlier + 1}, before line ${position}`;
    }
    position = index + 1;
  }
  return null;
}

/**
 * Streams a Common Transfer File through the saxes parser and hands over one small element tree
 * per `Header` and per `Pupil`, so memory stays proportional to one pupil, not the whole file.
 *
 * Safety: a DOCTYPE declaration stops parsing as soon as saxes reports it, before any element is
 * read, so no entity it declares is ever used. Saxes 6 itself expands only the five predefined
 * XML entities and character references, and rejects any other entity reference as undefined.
 */
import { SaxesParser } from 'saxes';

/** One element: its name, the line its start tag ends on, its direct text and its child elements. */
export interface XmlNode {
  name: string;
  line: number;
  text: string;
  children: XmlNode[];
}

/**
 * Raised when the XML cannot be read as a Common Transfer File. The message is written for the
 * user; `line` and `column` (1-based) point at the place when known.
 */
export class CtfFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(message);
    this.name = 'CtfFileError';
  }
}

export interface CtfStreamHandlers {
  header(node: XmlNode): void;
  pupil(node: XmlNode): void;
}

export const ROOT_ELEMENT = 'CTfile';

export const DOCTYPE_MESSAGE =
  'The file contains a DOCTYPE declaration, which is not allowed; export the file again from your MIS.';

/** Returns the first child element with `name`. */
export function childElement(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((child) => child.name === name);
}

export function childElements(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

/** Follows a path of child element names, taking the first match at each step. */
export function descendant(node: XmlNode, path: readonly string[]): XmlNode | undefined {
  let current: XmlNode | undefined = node;
  for (const name of path) {
    current = current === undefined ? undefined : childElement(current, name);
  }
  return current;
}

/**
 * Parses `text` and calls `handlers.header` for `CTfile/Header` and `handlers.pupil` for each
 * `CTfile/CTFpupilData/Pupil` as its end tag is read. Exceptions from the handlers stop parsing.
 *
 * @throws CtfFileError for a DOCTYPE, a root element other than `CTfile`, malformed XML (with its
 *   line and column), or XML that ends before every element is closed.
 */
export function streamCtf(text: string, handlers: CtfStreamHandlers): void {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const open: string[] = [];
  const captured: XmlNode[] = [];
  let closing = false;

  parser.on('doctype', () => {
    throw new CtfFileError(DOCTYPE_MESSAGE, parser.line, parser.column + 1);
  });
  parser.on('error', (error) => {
    const reason = error.message.replace(/^\d+:\d+: /, '');
    throw new CtfFileError(describeXmlError(reason, closing), parser.line, parser.column + 1);
  });
  parser.on('opentag', (tag) => {
    open.push(tag.name);
    if (open.length === 1 && tag.name !== ROOT_ELEMENT) {
      throw new CtfFileError(describeWrongRoot(tag.name), parser.line);
    }
    const node: XmlNode = { name: tag.name, line: parser.line, text: '', children: [] };
    const parent = captured[captured.length - 1];
    if (parent !== undefined) {
      parent.children.push(node);
      captured.push(node);
    } else if (isRecordStart(open)) {
      captured.push(node);
    }
  });
  const addText = (chunk: string): void => {
    const current = captured[captured.length - 1];
    if (current !== undefined) {
      current.text += chunk;
    }
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    open.pop();
    const node = captured.pop();
    if (node !== undefined && captured.length === 0) {
      if (node.name === 'Header') {
        handlers.header(node);
      } else {
        handlers.pupil(node);
      }
    }
  });

  parser.write(text);
  closing = true;
  parser.close();
}

/** True for the start tags of `CTfile/Header` and `CTfile/CTFpupilData/Pupil`. */
function isRecordStart(open: string[]): boolean {
  if (open.length === 2) {
    return open[1] === 'Header';
  }
  return open.length === 3 && open[1] === 'CTFpupilData' && open[2] === 'Pupil';
}

function describeWrongRoot(name: string): string {
  const hint =
    name.toLowerCase() === ROOT_ELEMENT.toLowerCase()
      ? ` (the CTF spells it with a lower-case "f": <${ROOT_ELEMENT}>)`
      : '';
  return `The file is XML, but its root element is <${name}>, not <${ROOT_ELEMENT}>${hint}, so it is not a Common Transfer File. Export a CTF from your MIS and upload that.`;
}

function describeXmlError(reason: string, atEnd: boolean): string {
  if (atEnd) {
    return `The XML ends before it is complete (${reason.replace(/\.$/, '')}). The file may have been cut short while copying; export it again from your MIS.`;
  }
  return `The XML is not well formed here (${reason.replace(/\.$/, '')}). Export the file again from your MIS without editing it.`;
}

import { SaxesParser } from 'saxes';
import { MAX_RECORD_CHARS } from './event-item.js';
import type { XmlElement } from './xml-element.js';

interface MutableElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: (MutableElement | string)[];
}

const stripPrefix = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Elements nested deeper than this are not Windows event data; parsing stops there. */
const MAX_DEPTH = 32;

/**
 * Parses a short XML text held inside another record (a Log Analytics row's `EventData`, `RawEventData`
 * or `ParameterXml` column) into an element tree, with the same rules as the Event XML reader: strict
 * XML 1.0, namespace prefixes dropped, DOCTYPE and entity declarations refused (never expanded). Returns
 * the reason when the text is not such XML.
 */
export function parseXmlText(text: string): XmlElement | { readonly problem: string } {
  if (text.length > MAX_RECORD_CHARS) return { problem: `the XML is longer than ${MAX_RECORD_CHARS} characters` };
  if (/<!(?:DOCTYPE|ENTITY)/i.test(text)) return { problem: 'the XML declares a document type; it is not read' };
  const parser = new SaxesParser({ xmlns: false });
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let problem: string | undefined;
  let skipped = 0;
  parser.on('opentag', (tag) => {
    if (skipped > 0 || stack.length >= MAX_DEPTH) {
      problem ??= `the XML nests deeper than ${MAX_DEPTH} elements`;
      skipped += 1;
      return;
    }
    const attributes = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) attributes[stripPrefix(name)] = value;
    }
    const element: MutableElement = { name: stripPrefix(tag.name), attributes, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root ??= element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    if (skipped > 0) skipped -= 1;
    else stack.pop();
  });
  const onText = (value: string): void => {
    stack[stack.length - 1]?.children.push(value);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  try {
    parser.write(text).close();
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  if (problem !== undefined) return { problem };
  return root ?? { problem: 'the text holds no XML element' };
}

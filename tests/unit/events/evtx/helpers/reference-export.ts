/**
 * Reads libevtx's `evtxexport -f xml` output (the reference rendering stored next to each sample)
 * into XmlElement trees, one per `<Event>`.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { XmlElement } from '../../../../../src/events/xml-element.js';

interface OpenElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: (XmlElement | string)[];
}

/** Parses evtxexport's text: a version line, then pretty-printed `<Event>` documents. */
export function parseReferenceExport(text: string): XmlElement[] {
  const body = text.replace(/^evtxexport[^\n]*\n/, '');
  // XML parsers normalise CR LF to LF; a character reference keeps the CR that the values hold.
  const escaped = body.replace(/\r/g, '&#13;');
  const parser = new SaxesParser({ fragment: true });
  const events: XmlElement[] = [];
  const stack: OpenElement[] = [];
  parser.on('opentag', (tag) => {
    const attributes = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(tag.attributes)) attributes[name] = value;
    const colon = tag.name.indexOf(':');
    stack.push({ name: colon < 0 ? tag.name : tag.name.slice(colon + 1), attributes, children: [] });
  });
  parser.on('text', (value) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.children.push(value);
  });
  parser.on('closetag', () => {
    const open = stack.pop();
    if (open === undefined) throw new Error('unbalanced reference XML');
    const element = finishElement(open);
    const parent = stack[stack.length - 1];
    if (parent === undefined) events.push(element);
    else parent.children.push(element);
  });
  parser.write(escaped).close();
  return events;
}

/** Drops the pretty-printing whitespace between child elements and merges adjacent text. */
function finishElement(open: OpenElement): XmlElement {
  const hasElements = open.children.some((child) => typeof child !== 'string');
  const children: (XmlElement | string)[] = [];
  for (const child of open.children) {
    if (typeof child === 'string') {
      if (child === '' || (hasElements && child.trim() === '')) continue;
      const last = children[children.length - 1];
      if (typeof last === 'string') children[children.length - 1] = last + child;
      else children.push(child);
    } else {
      children.push(child);
    }
  }
  return { name: open.name, attributes: open.attributes, children };
}

/** Reads and parses a reference file. */
export function loadReferenceExport(path: string): XmlElement[] {
  return parseReferenceExport(readFileSync(path, 'utf8'));
}

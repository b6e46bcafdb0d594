/**
 * BinXML, the tokenised XML inside EVTX event records ([MS-EVEN6] 2.2.12 and the libevtx
 * "Windows XML Event Log (EVTX) format" document, section "Binary XML").
 *
 * Parsing and rendering are split: a template definition is parsed once per chunk into a small
 * intermediate tree (with substitution placeholders) and then rendered for every record that
 * instantiates it with that record's substitution values.
 */
import type { XmlElement } from '../xml-element.js';
import {
  ValueType as VALUE_TYPE,
  decodeAnsi,
  decodeUtf16,
  formatBinary,
  formatFiletime,
  formatGuid,
  formatHex32,
  formatHex64,
  formatReal,
  formatSid,
  formatSystemtime,
  measureSid,
  trimTrailingNuls,
} from './format-value.js';

/** Damage found while reading BinXML; `offset` is relative to the start of the chunk. */
export class EvtxFormatError extends Error {
  /** Chunk-relative offset of the damaged bytes. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'EvtxFormatError';
    this.offset = offset;
  }
}

/** Per-chunk state: names and template definitions are addressed by chunk offset, so caches are per chunk. */
export interface ChunkContext {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly names: Map<number, string>;
  readonly templates: Map<number, IrTemplate>;
  readonly templatesInProgress: Set<number>;
}

/** One substitution value of a template instance: its declared type and where its bytes are in the chunk. */
export interface TemplateValue {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

/** A parsed template definition. */
export interface IrTemplate {
  readonly nodes: readonly IrNode[];
}

/** Intermediate tree node, before substitution values are applied. */
export type IrNode = IrElement | IrText | IrSubstitution | IrTemplateInstance;

/** An element of the intermediate tree. */
export interface IrElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: readonly IrAttribute[];
  readonly children: readonly IrNode[];
}

/** An attribute whose value is a sequence of literal text and substitutions. */
export interface IrAttribute {
  readonly name: string;
  readonly parts: readonly (IrText | IrSubstitution)[];
}

/** Literal character data (value text, CDATA, character and entity references, already decoded). */
export interface IrText {
  readonly kind: 'text';
  readonly text: string;
}

/** A normal (0x0d) or optional (0x0e) substitution of template value `index`. */
export interface IrSubstitution {
  readonly kind: 'substitution';
  readonly index: number;
  readonly optional: boolean;
}

/** A template instance: a definition plus the values to substitute into it. */
export interface IrTemplateInstance {
  readonly kind: 'template';
  readonly template: IrTemplate;
  readonly values: readonly TemplateValue[];
}

/**
 * Local alias of the value type table: under tsx every use of an imported binding is a getter
 * call, and the value switches below evaluate many cases per value.
 */
const ValueType = VALUE_TYPE;

/** Token bytes (EVTX format document, "Token types"); 0x40 is the "more data" flag. */
const Token = {
  eof: 0x00,
  openStartElement: 0x01,
  closeStartElement: 0x02,
  closeEmptyElement: 0x03,
  endElement: 0x04,
  value: 0x05,
  attribute: 0x06,
  cdata: 0x07,
  charRef: 0x08,
  entityRef: 0x09,
  piTarget: 0x0a,
  piData: 0x0b,
  templateInstance: 0x0c,
  normalSubstitution: 0x0d,
  optionalSubstitution: 0x0e,
  fragmentHeader: 0x0f,
  moreFlag: 0x40,
} as const;

/** Nesting limit for elements, template instances and BinXML values together: guards recursion bombs. */
const MAX_DEPTH = 200;
/** Limit on rendered nodes per record: array repetition and shared values cannot blow up memory. */
const MAX_RENDERED_NODES = 200_000;

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Creates the per-chunk parsing context over the chunk's bytes. */
export function createChunkContext(bytes: Uint8Array): ChunkContext {
  return {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    names: new Map(),
    templates: new Map(),
    templatesInProgress: new Set(),
  };
}

/** A read position bounded by `end` (exclusive); every read checks it. */
interface Cursor {
  pos: number;
  readonly end: number;
}

function requireBytes(cursor: Cursor, count: number, what: string): void {
  if (count < 0 || cursor.pos + count > cursor.end) {
    throw new EvtxFormatError(`truncated ${what}`, cursor.pos);
  }
}

function checkDepth(depth: number, offset: number): void {
  if (depth > MAX_DEPTH) throw new EvtxFormatError(`BinXML nested deeper than ${MAX_DEPTH} levels`, offset);
}

/**
 * Parses a BinXML document (prologue PI, fragments, EOF) in bytes[start, end) of the chunk.
 * `nested` is true for Binary XML substitution values, whose element starts carry no
 * dependency identifier (EVTX format document, "Element start", notes).
 */
export function parseDocument(ctx: ChunkContext, start: number, end: number, nested: boolean, depth: number): IrNode[] {
  checkDepth(depth, start);
  const cursor: Cursor = { pos: start, end };
  const nodes: IrNode[] = [];
  const bytes = ctx.bytes;
  while (cursor.pos < cursor.end) {
    const token = bytes[cursor.pos] as number;
    if (token === Token.eof) {
      cursor.pos++;
      break;
    } else if (token === Token.fragmentHeader) {
      requireBytes(cursor, 4, 'fragment header');
      cursor.pos += 4;
    } else if ((token & ~Token.moreFlag) === Token.openStartElement) {
      nodes.push(parseElement(ctx, cursor, !nested, depth + 1));
    } else if (token === Token.templateInstance) {
      nodes.push(parseTemplateInstance(ctx, cursor, depth + 1));
    } else if (token === Token.piTarget) {
      skipProcessingInstruction(ctx, cursor);
    } else {
      throw new EvtxFormatError(`unexpected BinXML token 0x${token.toString(16)} at document level`, cursor.pos);
    }
  }
  return nodes;
}

/** Reads the element-start header with or without the 2-byte dependency identifier; null if implausible. */
function readElementHeader(
  ctx: ChunkContext,
  cursor: Cursor,
  withDependency: boolean,
): { readonly nameOffset: number; readonly next: number } | null {
  const sizeAt = cursor.pos + (withDependency ? 3 : 1);
  if (sizeAt + 8 > cursor.end) return null;
  const dataSize = ctx.view.getUint32(sizeAt, true);
  const nameOffset = ctx.view.getUint32(sizeAt + 4, true);
  const next = sizeAt + 8;
  // The data size covers everything after the size field up to the end element token; a name is
  // either defined inline right here or earlier in the chunk, never later.
  if (sizeAt + 4 + dataSize > cursor.end || nameOffset > next || nameOffset + 8 > ctx.bytes.length) return null;
  return { nameOffset, next };
}

/**
 * Parses an element: start tag, attribute list, then content up to the end element token.
 * Template definitions carry a dependency identifier after the token and plain fragments do not;
 * files disagree now and then, so the other layout is tried when the expected one is implausible.
 */
function parseElement(ctx: ChunkContext, cursor: Cursor, expectDependency: boolean, depth: number): IrElement {
  checkDepth(depth, cursor.pos);
  const start = cursor.pos;
  const token = ctx.bytes[start] as number;
  const header =
    readElementHeader(ctx, cursor, expectDependency) ?? readElementHeader(ctx, cursor, !expectDependency);
  if (header === null) throw new EvtxFormatError('invalid element start', start);
  cursor.pos = header.next;
  const name = stripPrefix(readName(ctx, cursor, header.nameOffset));
  const attributes: IrAttribute[] = [];
  if (token & Token.moreFlag) {
    requireBytes(cursor, 4, 'attribute list');
    cursor.pos += 4;
    while (cursor.pos < cursor.end && ((ctx.bytes[cursor.pos] as number) & ~Token.moreFlag) === Token.attribute) {
      cursor.pos++;
      requireBytes(cursor, 4, 'attribute name');
      const nameOffset = ctx.view.getUint32(cursor.pos, true);
      cursor.pos += 4;
      const attributeName = readName(ctx, cursor, nameOffset);
      attributes.push({ name: attributeName, parts: parseAttributeValue(ctx, cursor) });
    }
  }
  requireBytes(cursor, 1, 'element start');
  const close = ctx.bytes[cursor.pos] as number;
  cursor.pos++;
  if (close === Token.closeEmptyElement) return { kind: 'element', name, attributes, children: [] };
  if (close !== Token.closeStartElement) {
    throw new EvtxFormatError(`unexpected BinXML token 0x${close.toString(16)} closing start tag`, cursor.pos - 1);
  }
  const children = parseContent(ctx, cursor, expectDependency, depth);
  return { kind: 'element', name, attributes, children };
}

/** Drops a namespace prefix: XmlElement names are local names. */
function stripPrefix(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Parses element content (child elements, character data, substitutions) up to the end element token. */
function parseContent(ctx: ChunkContext, cursor: Cursor, expectDependency: boolean, depth: number): IrNode[] {
  const children: IrNode[] = [];
  const bytes = ctx.bytes;
  for (;;) {
    requireBytes(cursor, 1, 'element content');
    const token = bytes[cursor.pos] as number;
    const base = token & ~Token.moreFlag;
    if (token === Token.endElement) {
      cursor.pos++;
      return children;
    }
    if (base === Token.openStartElement) {
      children.push(parseElement(ctx, cursor, expectDependency, depth + 1));
    } else if (token === Token.piTarget) {
      skipProcessingInstruction(ctx, cursor);
    } else {
      const part = parseCharacterData(ctx, cursor);
      if (part === null) {
        throw new EvtxFormatError(`unexpected BinXML token 0x${token.toString(16)} in element content`, cursor.pos);
      }
      children.push(part);
    }
  }
}

/** Parses attribute value tokens until a token that is not character data. */
function parseAttributeValue(ctx: ChunkContext, cursor: Cursor): (IrText | IrSubstitution)[] {
  const parts: (IrText | IrSubstitution)[] = [];
  while (cursor.pos < cursor.end) {
    const part = parseCharacterData(ctx, cursor);
    if (part === null) break;
    parts.push(part);
  }
  return parts;
}

/** Parses one value text, CDATA, character/entity reference or substitution token; null for other tokens. */
function parseCharacterData(ctx: ChunkContext, cursor: Cursor): IrText | IrSubstitution | null {
  const token = ctx.bytes[cursor.pos] as number;
  switch (token & ~Token.moreFlag) {
    case Token.value: {
      requireBytes(cursor, 2, 'value text');
      cursor.pos += 2; // token and value type (always StringType for value text)
      return { kind: 'text', text: readUnicodeText(ctx, cursor) };
    }
    case Token.cdata: {
      cursor.pos++;
      return { kind: 'text', text: readUnicodeText(ctx, cursor) };
    }
    case Token.charRef: {
      requireBytes(cursor, 3, 'character reference');
      const code = ctx.view.getUint16(cursor.pos + 1, true);
      cursor.pos += 3;
      return { kind: 'text', text: String.fromCharCode(code) };
    }
    case Token.entityRef: {
      requireBytes(cursor, 5, 'entity reference');
      const nameOffset = ctx.view.getUint32(cursor.pos + 1, true);
      cursor.pos += 5;
      const name = readName(ctx, cursor, nameOffset);
      return { kind: 'text', text: ENTITIES[name] ?? `&${name};` };
    }
    case Token.normalSubstitution:
    case Token.optionalSubstitution: {
      if (token & Token.moreFlag) return null;
      requireBytes(cursor, 4, 'substitution');
      const index = ctx.view.getUint16(cursor.pos + 1, true);
      cursor.pos += 4; // token, index, value type (the value descriptor's type is the one used)
      return { kind: 'substitution', index, optional: token === Token.optionalSubstitution };
    }
    default:
      return null;
  }
}

/** Skips a processing instruction (target and optional data): the element tree has no node for it. */
function skipProcessingInstruction(ctx: ChunkContext, cursor: Cursor): void {
  requireBytes(cursor, 5, 'PI target');
  const nameOffset = ctx.view.getUint32(cursor.pos + 1, true);
  cursor.pos += 5;
  readName(ctx, cursor, nameOffset);
  if (cursor.pos < cursor.end && ctx.bytes[cursor.pos] === Token.piData) {
    cursor.pos++;
    readUnicodeText(ctx, cursor);
  }
}

/** Reads a length-prefixed UTF-16LE string (no terminator) at the cursor. */
function readUnicodeText(ctx: ChunkContext, cursor: Cursor): string {
  requireBytes(cursor, 2, 'string length');
  const count = ctx.view.getUint16(cursor.pos, true);
  cursor.pos += 2;
  requireBytes(cursor, count * 2, 'string');
  const text = decodeUtf16(ctx.bytes, cursor.pos, count);
  cursor.pos += count * 2;
  return text;
}

/**
 * Resolves a name offset (EVTX format document, "Name": 4 unknown bytes, hash, character count,
 * UTF-16 characters, terminator). When the offset is the cursor position the name is defined
 * inline and the cursor skips it.
 */
function readName(ctx: ChunkContext, cursor: Cursor, nameOffset: number): string {
  if (nameOffset === cursor.pos) {
    requireBytes(cursor, 8, 'name');
    const size = 8 + ctx.view.getUint16(nameOffset + 6, true) * 2 + 2;
    requireBytes(cursor, size, 'name');
    cursor.pos += size;
  }
  const cached = ctx.names.get(nameOffset);
  if (cached !== undefined) return cached;
  if (nameOffset + 8 > ctx.bytes.length) throw new EvtxFormatError('name offset outside the chunk', cursor.pos);
  const count = ctx.view.getUint16(nameOffset + 6, true);
  if (nameOffset + 8 + count * 2 > ctx.bytes.length) {
    throw new EvtxFormatError('name runs past the end of the chunk', cursor.pos);
  }
  const name = decodeUtf16(ctx.bytes, nameOffset + 8, count);
  ctx.names.set(nameOffset, name);
  return name;
}

/**
 * Parses a template instance (EVTX format document, "Template instance"): token, 1 unknown
 * byte, 4-byte template identifier, 4-byte definition offset; the definition follows inline when
 * that offset points right here; then the instance data (value count, descriptors, values).
 */
function parseTemplateInstance(ctx: ChunkContext, cursor: Cursor, depth: number): IrTemplateInstance {
  checkDepth(depth, cursor.pos);
  requireBytes(cursor, 10, 'template instance');
  const definitionOffset = ctx.view.getUint32(cursor.pos + 6, true);
  cursor.pos += 10;
  const template = loadTemplate(ctx, definitionOffset, cursor.pos - 4, depth);
  if (definitionOffset === cursor.pos) {
    requireBytes(cursor, 24, 'template definition');
    const dataSize = ctx.view.getUint32(cursor.pos + 20, true);
    requireBytes(cursor, 24 + dataSize, 'template definition');
    cursor.pos += 24 + dataSize;
  }
  return { kind: 'template', template, values: parseInstanceValues(ctx, cursor) };
}

/**
 * Parses a template definition at a chunk offset (next-definition offset, GUID, data size, then
 * a BinXML fragment), once per chunk; definitions that (indirectly) instantiate themselves are refused.
 */
function loadTemplate(ctx: ChunkContext, offset: number, referencedAt: number, depth: number): IrTemplate {
  const cached = ctx.templates.get(offset);
  if (cached !== undefined) return cached;
  if (ctx.templatesInProgress.has(offset)) {
    throw new EvtxFormatError('template definition instantiates itself', referencedAt);
  }
  if (offset + 24 > ctx.bytes.length) {
    throw new EvtxFormatError('template definition offset outside the chunk', referencedAt);
  }
  const dataStart = offset + 24;
  const dataEnd = dataStart + ctx.view.getUint32(offset + 20, true);
  if (dataEnd > ctx.bytes.length) throw new EvtxFormatError('template definition runs past the chunk', offset + 20);
  ctx.templatesInProgress.add(offset);
  try {
    const template: IrTemplate = { nodes: parseDocument(ctx, dataStart, dataEnd, false, depth + 1) };
    ctx.templates.set(offset, template);
    return template;
  } finally {
    ctx.templatesInProgress.delete(offset);
  }
}

/** Parses template instance data: value count, 4-byte descriptors (size, type, padding), then the values. */
function parseInstanceValues(ctx: ChunkContext, cursor: Cursor): TemplateValue[] {
  requireBytes(cursor, 4, 'template value count');
  const count = ctx.view.getUint32(cursor.pos, true);
  cursor.pos += 4;
  if (count * 4 > cursor.end - cursor.pos) {
    throw new EvtxFormatError(`template value count ${count} exceeds the record`, cursor.pos - 4);
  }
  const descriptorsAt = cursor.pos;
  cursor.pos += count * 4;
  const values: TemplateValue[] = new Array<TemplateValue>(count);
  for (let i = 0; i < count; i++) {
    const size = ctx.view.getUint16(descriptorsAt + i * 4, true);
    const type = ctx.bytes[descriptorsAt + i * 4 + 2] as number;
    requireBytes(cursor, size, `template value ${i}`);
    values[i] = { type, offset: cursor.pos, size };
    cursor.pos += size;
  }
  return values;
}

/** A substitution value made ready for rendering. */
type RenderedValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'array'; readonly entries: readonly string[] }
  | { readonly kind: 'xml'; readonly nodes: readonly (XmlElement | string)[] };

const NULL_VALUE: RenderedValue = { kind: 'null' };

/** The values of the template instance being rendered, each rendered at most once. */
interface Scope {
  readonly values: readonly TemplateValue[];
  readonly rendered: (RenderedValue | undefined)[];
}

/** Rendering state shared by one record: the node budget. */
interface RenderState {
  budget: number;
}

/** Renders a parsed BinXML document into element trees and text, applying substitution values. */
export function renderDocument(ctx: ChunkContext, nodes: readonly IrNode[]): (XmlElement | string)[] {
  const out: (XmlElement | string)[] = [];
  renderNodes(ctx, nodes, null, null, out, { budget: MAX_RENDERED_NODES }, 0);
  return out;
}

/** An array entry standing in for one substitution while an element is repeated per array entry. */
interface ArrayBinding {
  readonly index: number;
  readonly text: string;
}

function renderNodes(
  ctx: ChunkContext,
  nodes: readonly IrNode[],
  scope: Scope | null,
  binding: ArrayBinding | null,
  out: (XmlElement | string)[],
  state: RenderState,
  depth: number,
): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'element':
        renderElement(ctx, node, scope, out, state, depth + 1);
        break;
      case 'template': {
        checkDepth(depth + 1, 0);
        const inner: Scope = { values: node.values, rendered: [] };
        renderNodes(ctx, node.template.nodes, inner, null, out, state, depth + 1);
        break;
      }
      case 'substitution': {
        if (binding !== null && binding.index === node.index) {
          out.push(binding.text);
          break;
        }
        const value = resolveValue(ctx, scope, node.index, state, depth);
        if (value.kind === 'text') out.push(value.text);
        else if (value.kind === 'array') out.push(value.entries.join(''));
        else if (value.kind === 'xml') for (const rendered of value.nodes) out.push(rendered);
        break;
      }
    }
  }
}

/**
 * Renders an element. An optional substitution of a NULL value leaves out the element that
 * immediately encloses it ([MS-EVEN6] 3.1.4.7.2; EVTX format document, "Optional substitution").
 * An element whose content substitutes an array value is repeated once per array entry, and an
 * empty array still yields one empty element (EVTX format document, "Normal substitution").
 */
function renderElement(
  ctx: ChunkContext,
  element: IrElement,
  scope: Scope | null,
  out: (XmlElement | string)[],
  state: RenderState,
  depth: number,
): void {
  checkDepth(depth, 0);
  for (const child of element.children) {
    if (child.kind !== 'substitution') continue;
    const value = resolveValue(ctx, scope, child.index, state, depth);
    if (value.kind === 'null' && child.optional) return;
  }
  for (const child of element.children) {
    if (child.kind !== 'substitution') continue;
    const value = resolveValue(ctx, scope, child.index, state, depth);
    if (value.kind === 'array') {
      const entries = value.entries.length > 0 ? value.entries : [''];
      for (const text of entries) {
        out.push(buildElement(ctx, element, scope, { index: child.index, text }, state, depth));
      }
      return;
    }
  }
  out.push(buildElement(ctx, element, scope, null, state, depth));
}

function buildElement(
  ctx: ChunkContext,
  element: IrElement,
  scope: Scope | null,
  binding: ArrayBinding | null,
  state: RenderState,
  depth: number,
): XmlElement {
  state.budget -= 1 + element.attributes.length;
  if (state.budget < 0) throw new EvtxFormatError('record renders to too many nodes', 0);
  // A null-prototype object: an attribute named __proto__ is stored as data, never as a prototype.
  const attributes = Object.create(null) as Record<string, string>;
  for (const attribute of element.attributes) {
    const text = renderAttribute(ctx, attribute, scope, state, depth);
    if (text !== null) attributes[attribute.name] = text;
  }
  const raw: (XmlElement | string)[] = [];
  renderNodes(ctx, element.children, scope, binding, raw, state, depth);
  return { name: element.name, attributes, children: mergeText(raw) };
}

/**
 * Renders an attribute value; null when the attribute is left out because an optional
 * substitution in it is NULL ([MS-EVEN6] 3.1.4.7.2); a normal NULL substitution renders empty.
 */
function renderAttribute(
  ctx: ChunkContext,
  attribute: IrAttribute,
  scope: Scope | null,
  state: RenderState,
  depth: number,
): string | null {
  let text = '';
  for (const part of attribute.parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = resolveValue(ctx, scope, part.index, state, depth);
    if (value.kind === 'null') {
      if (part.optional) return null;
    } else if (value.kind === 'text') {
      text += value.text;
    } else if (value.kind === 'array') {
      text += value.entries.join(' ');
    } else {
      text += collectText(value.nodes);
    }
  }
  return text;
}

/** Concatenates the character data of rendered nodes (a BinXML value used inside an attribute). */
function collectText(nodes: readonly (XmlElement | string)[]): string {
  let text = '';
  for (const node of nodes) text += typeof node === 'string' ? node : collectText(node.children);
  return text;
}

/** Merges adjacent text pieces and drops empty ones, so each run of character data is one string. */
function mergeText(raw: readonly (XmlElement | string)[]): (XmlElement | string)[] {
  const merged: (XmlElement | string)[] = [];
  for (const node of raw) {
    if (typeof node === 'string') {
      if (node === '') continue;
      const last = merged.length - 1;
      const previous = merged[last];
      if (typeof previous === 'string') merged[last] = previous + node;
      else merged.push(node);
    } else {
      merged.push(node);
    }
  }
  return merged;
}

function resolveValue(
  ctx: ChunkContext,
  scope: Scope | null,
  index: number,
  state: RenderState,
  depth: number,
): RenderedValue {
  if (scope === null) return NULL_VALUE;
  const cached = scope.rendered[index];
  if (cached !== undefined) return cached;
  const value = scope.values[index];
  const rendered = value === undefined ? NULL_VALUE : renderValue(ctx, value, state, depth);
  scope.rendered[index] = rendered;
  return rendered;
}

/** Renders one substitution value by its descriptor type. */
function renderValue(ctx: ChunkContext, value: TemplateValue, state: RenderState, depth: number): RenderedValue {
  const { type, offset, size } = value;
  if (type === ValueType.null) return NULL_VALUE;
  if (type === ValueType.binXml) {
    checkDepth(depth + 1, offset);
    const nodes = parseDocument(ctx, offset, offset + size, true, depth + 1);
    const out: (XmlElement | string)[] = [];
    renderNodes(ctx, nodes, null, null, out, state, depth + 1);
    return { kind: 'xml', nodes: out };
  }
  if (type & ValueType.arrayFlag) return { kind: 'array', entries: renderArray(ctx, type & 0x7f, offset, size) };
  return { kind: 'text', text: renderScalar(ctx, type, offset, size) };
}

/** Byte width of fixed-size value types (EVTX format document, "Value types"). */
function getFixedWidth(type: number): number {
  switch (type) {
    case ValueType.int8:
    case ValueType.uint8:
      return 1;
    case ValueType.int16:
    case ValueType.uint16:
      return 2;
    case ValueType.int32:
    case ValueType.uint32:
    case ValueType.real32:
    case ValueType.bool:
    case ValueType.hexInt32:
      return 4;
    case ValueType.int64:
    case ValueType.uint64:
    case ValueType.real64:
    case ValueType.fileTime:
    case ValueType.hexInt64:
      return 8;
    case ValueType.guid:
    case ValueType.sysTime:
      return 16;
    default:
      return 0;
  }
}

/** Renders a scalar value; a value too short for its type is shown as hex bytes rather than dropped. */
function renderScalar(ctx: ChunkContext, type: number, offset: number, size: number): string {
  const { view, bytes } = ctx;
  const width = getFixedWidth(type);
  if (width > 0 && size < width) return formatBinary(bytes, offset, offset + size);
  switch (type) {
    case ValueType.string:
      return trimTrailingNuls(decodeUtf16(bytes, offset, size >> 1));
    case ValueType.ansiString:
      return trimTrailingNuls(decodeAnsi(bytes, offset, offset + size));
    case ValueType.int8:
      return String(view.getInt8(offset));
    case ValueType.uint8:
      return String(view.getUint8(offset));
    case ValueType.int16:
      return String(view.getInt16(offset, true));
    case ValueType.uint16:
      return String(view.getUint16(offset, true));
    case ValueType.int32:
      return String(view.getInt32(offset, true));
    case ValueType.uint32:
      return String(view.getUint32(offset, true));
    case ValueType.int64:
      return String(view.getBigInt64(offset, true));
    case ValueType.uint64:
      return String(view.getBigUint64(offset, true));
    case ValueType.real32:
      return formatReal(view.getFloat32(offset, true), true);
    case ValueType.real64:
      return formatReal(view.getFloat64(offset, true), false);
    case ValueType.bool:
      return view.getUint32(offset, true) !== 0 ? 'true' : 'false';
    case ValueType.guid:
      return formatGuid(view, offset);
    case ValueType.sizeT:
      // Size values are paired with HexInt32 or HexInt64 (EVTX format document): 4 or 8 bytes.
      if (size === 4) return formatHex32(view.getUint32(offset, true));
      if (size === 8) return formatHex64(view.getBigUint64(offset, true));
      return formatBinary(bytes, offset, offset + size);
    case ValueType.fileTime:
      return formatFiletime(view.getBigUint64(offset, true));
    case ValueType.sysTime:
      return formatSystemtime(view, offset);
    case ValueType.sid:
      return measureSid(view, offset, offset + size) < 0
        ? formatBinary(bytes, offset, offset + size)
        : formatSid(view, offset);
    case ValueType.hexInt32:
      return formatHex32(view.getUint32(offset, true));
    case ValueType.hexInt64:
      return formatHex64(view.getBigUint64(offset, true));
    default:
      // Binary data, and types the format leaves undocumented (EvtHandle, EvtXml), as hex bytes.
      return formatBinary(bytes, offset, offset + size);
  }
}

/**
 * Renders the entries of an array value (EVTX format document, "Value types", 0x80 flag):
 * string arrays are NUL-separated, SIDs are variable-length, other types fixed-width.
 */
function renderArray(ctx: ChunkContext, type: number, offset: number, size: number): string[] {
  const end = offset + size;
  if (type === ValueType.string || type === ValueType.ansiString) {
    const text =
      type === ValueType.string ? decodeUtf16(ctx.bytes, offset, size >> 1) : decodeAnsi(ctx.bytes, offset, end);
    const entries = text.split('\0');
    if (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
    return entries;
  }
  const entries: string[] = [];
  if (type === ValueType.sid) {
    let at = offset;
    while (at < end) {
      const length = measureSid(ctx.view, at, end);
      if (length < 0) {
        entries.push(formatBinary(ctx.bytes, at, end));
        break;
      }
      entries.push(formatSid(ctx.view, at));
      at += length;
    }
    return entries;
  }
  const width = type === ValueType.sizeT ? (size % 8 === 0 ? 8 : 4) : getFixedWidth(type);
  if (width === 0) return [formatBinary(ctx.bytes, offset, end)];
  for (let at = offset; at + width <= end; at += width) entries.push(renderScalar(ctx, type, at, width));
  return entries;
}

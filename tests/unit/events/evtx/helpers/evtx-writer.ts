/**
 * Writes small synthetic .evtx files from a declarative description, following the layouts of the
 * libevtx EVTX format document, so tests can reach BinXML features the real samples lack.
 */
import { computeCrc32, updateCrc32 } from '../../../../../src/events/evtx/crc32.js';

/** Character data inside an attribute value or element content. */
export type XPart =
  | { readonly text: string }
  | { readonly sub: number; readonly optional?: boolean }
  | { readonly charRef: number }
  | { readonly entity: string };

/** A BinXML node to write. */
export type XNode =
  | XPart
  | {
      readonly el: string;
      readonly attrs?: readonly (readonly [string, readonly XPart[]])[];
      readonly children?: readonly XNode[];
      /** Leave out the dependency identifier even inside a template definition. */
      readonly noDependency?: boolean;
    }
  | { readonly cdata: string }
  | { readonly pi: readonly [string, string] };

/** A template substitution value: a type byte and raw bytes, or a nested Binary XML (0x21) document. */
export type XValue = { readonly type: number; readonly bytes: Uint8Array } | { readonly nested: XRecordBody };

/** What one record's BinXML holds: a template instance (the usual case) or a plain element. */
export type XRecordBody =
  | { readonly template: XNode; readonly values: readonly XValue[]; readonly reuseTemplateOf?: number }
  | { readonly plain: XNode };

/** One record to write. */
export interface XRecord {
  readonly id: number;
  readonly time?: bigint;
  readonly body: XRecordBody;
}

/** A growable little-endian byte writer addressed by chunk offset. */
class ByteWriter {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;

  constructor(bytes: Uint8Array, pos: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  u8(value: number): void {
    this.view.setUint8(this.pos, value);
    this.pos += 1;
  }

  u16(value: number): void {
    this.view.setUint16(this.pos, value, true);
    this.pos += 2;
  }

  u32(value: number): void {
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  u64(value: bigint): void {
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  raw(data: Uint8Array): void {
    this.bytes.set(data, this.pos);
    this.pos += data.length;
  }

  utf16(text: string): void {
    for (let i = 0; i < text.length; i++) this.u16(text.charCodeAt(i));
  }
}

/** Encodes a string as UTF-16LE code units (lone surrogates pass through unchanged). */
export function utf16Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** Little-endian bytes of an integer of the given width. */
export function intBytes(value: number | bigint, width: 1 | 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, BigInt(value));
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Writes BinXML tokens into a chunk, defining each name inline once and referencing it afterwards. */
class BinXmlWriter {
  readonly w: ByteWriter;
  readonly names: Map<string, number>;

  constructor(w: ByteWriter, names: Map<string, number>) {
    this.w = w;
    this.names = names;
  }

  name(text: string): void {
    const known = this.names.get(text);
    if (known !== undefined) {
      this.w.u32(known);
      return;
    }
    const at = this.w.pos + 4;
    this.names.set(text, at);
    this.w.u32(at);
    this.w.u32(0); // next name offset in the hash chain
    this.w.u16(0); // name hash (not checked by readers)
    this.w.u16(text.length);
    this.w.utf16(text);
    this.w.u16(0);
  }

  part(part: XPart, more: boolean): void {
    const flag = more ? 0x40 : 0;
    if ('text' in part) {
      this.w.u8(0x05 | flag);
      this.w.u8(0x01);
      this.w.u16(part.text.length);
      this.w.utf16(part.text);
    } else if ('sub' in part) {
      this.w.u8(part.optional ? 0x0e : 0x0d);
      this.w.u16(part.sub);
      this.w.u8(0x01);
    } else if ('charRef' in part) {
      this.w.u8(0x08 | flag);
      this.w.u16(part.charRef);
    } else {
      this.w.u8(0x09 | flag);
      this.name(part.entity);
    }
  }

  node(node: XNode, dependency: boolean): void {
    if ('el' in node) {
      this.element(node, dependency);
    } else if ('cdata' in node) {
      this.w.u8(0x07);
      this.w.u16(node.cdata.length);
      this.w.utf16(node.cdata);
    } else if ('pi' in node) {
      this.w.u8(0x0a);
      this.name(node.pi[0]);
      this.w.u8(0x0b);
      this.w.u16(node.pi[1].length);
      this.w.utf16(node.pi[1]);
    } else {
      this.part(node, false);
    }
  }

  element(node: Extract<XNode, { el: string }>, dependency: boolean): void {
    const attrs = node.attrs ?? [];
    this.w.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (dependency && !node.noDependency) this.w.u16(0xffff);
    const sizeAt = this.w.pos;
    this.w.u32(0);
    this.name(node.el);
    if (attrs.length > 0) {
      const listAt = this.w.pos;
      this.w.u32(0);
      attrs.forEach(([name, parts], i) => {
        this.w.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.name(name);
        parts.forEach((p, j) => this.part(p, j < parts.length - 1));
      });
      this.w.view.setUint32(listAt, this.w.pos - listAt - 4, true);
    }
    const children = node.children ?? [];
    if (children.length === 0) {
      this.w.u8(0x03);
    } else {
      this.w.u8(0x02);
      for (const child of children) this.node(child, dependency);
      this.w.u8(0x04);
    }
    this.w.view.setUint32(sizeAt, this.w.pos - sizeAt - 4, true);
  }

  /** Writes a template instance with an inline definition (or a reference to an earlier one) and its values. */
  templateInstance(template: XNode, values: readonly XValue[], definitionOffset?: number): number {
    this.w.u8(0x0c);
    this.w.u8(0x01);
    this.w.u32(0x12345678);
    let offset = definitionOffset;
    if (offset === undefined) {
      offset = this.w.pos + 4;
      this.w.u32(offset);
      this.w.u32(0); // next template definition offset
      this.w.raw(new Uint8Array(16).fill(0x11)); // template GUID
      const sizeAt = this.w.pos;
      this.w.u32(0);
      this.w.raw(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
      this.node(template, true);
      this.w.u8(0x00);
      this.w.view.setUint32(sizeAt, this.w.pos - sizeAt - 4, true);
    } else {
      this.w.u32(offset);
    }
    this.values(values);
    return offset;
  }

  values(values: readonly XValue[]): void {
    this.w.u32(values.length);
    const descriptorsAt = this.w.pos;
    for (const v of values) {
      this.w.u16(0);
      this.w.u8('nested' in v ? 0x21 : v.type);
      this.w.u8(0);
    }
    values.forEach((v, i) => {
      const start = this.w.pos;
      if ('nested' in v) this.body(v.nested);
      else this.w.raw(v.bytes);
      this.w.view.setUint16(descriptorsAt + i * 4, this.w.pos - start, true);
    });
  }

  /** Writes a fragment header, then a template instance or a plain element, then EOF. */
  body(body: XRecordBody, templates?: Map<number, number>, id?: number): void {
    this.w.raw(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
    if ('plain' in body) {
      this.node(body.plain, false);
    } else {
      const reuse = body.reuseTemplateOf === undefined ? undefined : templates?.get(body.reuseTemplateOf);
      const offset = this.templateInstance(body.template, body.values, reuse);
      if (templates !== undefined && id !== undefined) templates.set(id, offset);
    }
    this.w.u8(0x00);
  }
}

/** Builds one 64 KiB chunk holding the records, with correct signatures, offsets and checksums. */
export function buildChunk(records: readonly XRecord[], firstNumber = 1): Uint8Array {
  const chunk = new Uint8Array(65536);
  const w = new ByteWriter(chunk, 512);
  const names = new Map<string, number>();
  const templates = new Map<number, number>();
  let lastRecordAt = 512;
  for (const record of records) {
    lastRecordAt = w.pos;
    const start = w.pos;
    w.raw(Uint8Array.of(0x2a, 0x2a, 0, 0));
    w.u32(0);
    w.u64(BigInt(record.id));
    w.u64(record.time ?? 132000000000000000n);
    new BinXmlWriter(w, names).body(record.body, templates, record.id);
    const size = w.pos - start + 4;
    w.u32(size);
    w.view.setUint32(start + 4, size, true);
  }
  const free = w.pos;
  const header = new ByteWriter(chunk, 0);
  header.raw(new TextEncoder().encode('ElfChnk\0'));
  header.u64(BigInt(firstNumber));
  header.u64(BigInt(firstNumber + records.length - 1));
  header.u64(BigInt(records[0]?.id ?? 0));
  header.u64(BigInt(records[records.length - 1]?.id ?? 0));
  header.u32(128);
  header.u32(lastRecordAt);
  header.u32(free);
  header.u32(computeCrc32(chunk, 512, free));
  fixChunkHeaderCrc(chunk);
  return chunk;
}

/** Recomputes a chunk's header checksum (bytes 0-120 and 128-512) after edits. */
export function fixChunkHeaderCrc(chunk: Uint8Array): void {
  const crc = updateCrc32(computeCrc32(chunk, 0, 120), chunk, 128, 512);
  new DataView(chunk.buffer, chunk.byteOffset).setUint32(124, crc, true);
}

/** Recomputes a chunk's event-records checksum (512 up to the free space offset) after edits. */
export function fixRecordsCrc(chunk: Uint8Array): void {
  const view = new DataView(chunk.buffer, chunk.byteOffset);
  view.setUint32(52, computeCrc32(chunk, 512, view.getUint32(48, true)), true);
  fixChunkHeaderCrc(chunk);
}

/** Builds a file: a 4 KiB header with a correct checksum, then the chunks. */
export function buildEvtxFile(chunks: readonly Uint8Array[]): Uint8Array {
  const file = new Uint8Array(4096 + chunks.length * 65536);
  const w = new ByteWriter(file, 0);
  w.raw(new TextEncoder().encode('ElfFile\0'));
  w.u64(0n);
  w.u64(BigInt(Math.max(0, chunks.length - 1)));
  w.u64(1n);
  w.u32(128);
  w.u16(1);
  w.u16(3);
  w.u16(4096);
  w.u16(chunks.length & 0xffff);
  w.view.setUint32(124, computeCrc32(file, 0, 120), true);
  chunks.forEach((chunk, i) => file.set(chunk, 4096 + i * 65536));
  return file;
}

/** Returns the chunk slices of a real .evtx file (for building bigger files out of the samples). */
export function splitChunks(file: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 4096; at + 65536 <= file.length; at += 65536) chunks.push(file.slice(at, at + 65536));
  return chunks;
}

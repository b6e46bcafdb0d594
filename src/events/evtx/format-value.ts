/**
 * Text renderings of BinXML value types (EVTX format document, "Value types"), chosen to match
 * libevtx's `evtxexport -f xml`, the reference the tests compare against.
 *
 * Where that reference differs from Windows Event Viewer's XML, the reference is followed:
 * - FILETIME has nine fractional digits (`...32.931756000Z`); Windows prints seven (`...32.9317560Z`).
 * - HexInt32/HexInt64 are zero-padded to 8/16 digits (`0x00000000000003e7`); Windows prints `0x3e7`.
 * Renderings the samples do not show (reals, SYSTEMTIME, bool, binary) follow the format
 * document and Windows conventions, and are pinned by unit tests rather than by the reference.
 */

/** BinXML value type identifiers (EVTX format document, "Value types"); bit 0x80 marks an array. */
export const ValueType = {
  null: 0x00,
  string: 0x01,
  ansiString: 0x02,
  int8: 0x03,
  uint8: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  real32: 0x0b,
  real64: 0x0c,
  bool: 0x0d,
  binary: 0x0e,
  guid: 0x0f,
  sizeT: 0x10,
  fileTime: 0x11,
  sysTime: 0x12,
  sid: 0x13,
  hexInt32: 0x14,
  hexInt64: 0x15,
  binXml: 0x21,
  arrayFlag: 0x80,
} as const;

const HEX_DIGITS = '0123456789ABCDEF';

/** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01 (Unix epoch). */
const FILETIME_UNIX_OFFSET_SECONDS = 11644473600n;
const TICKS_PER_SECOND = 10000000n;

const utf16Decoder = new TextDecoder('utf-16le');

/** Pads a non-negative integer with leading zeros. */
function padNumber(value: number | bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

/**
 * Renders a FILETIME (100 ns ticks since 1601-01-01 UTC) the way evtxexport prints it:
 * ISO 8601 with nine fractional digits, e.g. `2019-05-12T13:30:32.931756000Z`.
 */
export function formatFiletime(ticks: bigint): string {
  const seconds = ticks / TICKS_PER_SECOND;
  const fraction = ticks % TICKS_PER_SECOND;
  const date = new Date(Number(seconds - FILETIME_UNIX_OFFSET_SECONDS) * 1000);
  return `${formatDatePart(date)}.${padNumber(fraction, 7)}00Z`;
}

/** Renders the calendar part `YYYY-MM-DDTHH:MM:SS` of a UTC date. */
function formatDatePart(date: Date): string {
  return (
    `${padNumber(date.getUTCFullYear(), 4)}-${padNumber(date.getUTCMonth() + 1, 2)}-` +
    `${padNumber(date.getUTCDate(), 2)}T${padNumber(date.getUTCHours(), 2)}:` +
    `${padNumber(date.getUTCMinutes(), 2)}:${padNumber(date.getUTCSeconds(), 2)}`
  );
}

/**
 * Renders a SYSTEMTIME (EVTX format document, "Systemtime": year, month, day of week, day,
 * hours, minutes, seconds, milliseconds as 16-bit values) in the same nine-digit style as FILETIME.
 */
export function formatSystemtime(view: DataView, offset: number): string {
  const field = (i: number): number => view.getUint16(offset + i * 2, true);
  return (
    `${padNumber(field(0), 4)}-${padNumber(field(1), 2)}-${padNumber(field(3), 2)}T` +
    `${padNumber(field(4), 2)}:${padNumber(field(5), 2)}:${padNumber(field(6), 2)}.` +
    `${padNumber(field(7), 3)}000000Z`
  );
}

/** Renders a little-endian GUID as `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` in upper case. */
export function formatGuid(view: DataView, offset: number): string {
  const data1 = view.getUint32(offset, true).toString(16).padStart(8, '0');
  const data2 = view.getUint16(offset + 4, true).toString(16).padStart(4, '0');
  const data3 = view.getUint16(offset + 6, true).toString(16).padStart(4, '0');
  let data4 = '';
  for (let i = 8; i < 16; i++) {
    if (i === 10) data4 += '-';
    data4 += view.getUint8(offset + i).toString(16).padStart(2, '0');
  }
  return `{${data1}-${data2}-${data3}-${data4}}`.toUpperCase();
}

/** Byte length of the SID at offset (8 bytes of header plus 4 per sub-authority), or -1 if it does not fit. */
export function measureSid(view: DataView, offset: number, end: number): number {
  if (offset + 8 > end) return -1;
  const length = 8 + view.getUint8(offset + 1) * 4;
  return offset + length <= end ? length : -1;
}

/**
 * Renders an NT security identifier as `S-R-A-S1-S2...` ([MS-DTYP] 2.4.2.1: the identifier
 * authority is printed in decimal below 2^32 and in hexadecimal above).
 */
export function formatSid(view: DataView, offset: number): string {
  const revision = view.getUint8(offset);
  const count = view.getUint8(offset + 1);
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + view.getUint8(offset + 2 + i);
  const authorityText =
    authority < 2 ** 32 ? authority.toString() : `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`;
  let text = `S-${revision}-${authorityText}`;
  for (let i = 0; i < count; i++) text += `-${view.getUint32(offset + 8 + i * 4, true)}`;
  return text;
}

/** Renders a 32-bit value as evtxexport prints HexInt32: `0x` and eight lower-case digits. */
export function formatHex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** Renders a 64-bit value as evtxexport prints HexInt64: `0x` and sixteen lower-case digits. */
export function formatHex64(value: bigint): string {
  return `0x${value.toString(16).padStart(16, '0')}`;
}

/** Renders bytes as upper-case base16, as Event Viewer shows binary data. */
export function formatBinary(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    text += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
  }
  return text;
}

/**
 * Renders a floating point value; the EVTX format document lists `1.#INF`, `-1.#INF` and
 * `-1.#IND` for infinities and NaN. Finite values use the shortest decimal that reads back
 * to the same value (for Real32, the same single-precision value).
 */
export function formatReal(value: number, single: boolean): string {
  if (Number.isNaN(value)) return '-1.#IND';
  if (value === Infinity) return '1.#INF';
  if (value === -Infinity) return '-1.#INF';
  if (!single) return String(value);
  for (let precision = 1; precision <= 9; precision++) {
    const text = value.toPrecision(precision);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

/**
 * Windows-1252 code points for bytes 0x80-0x9F (the WHATWG Encoding Standard index; the five
 * unassigned bytes map to the same C1 code point). Other bytes equal their Latin-1 code point.
 * Node's TextDecoder treats the label as Latin-1, hence the table.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Decodes Windows-1252 bytes (the codepage evtxexport assumes by default for ANSI strings). */
export function decodeAnsi(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    text += String.fromCharCode(b >= 0x80 && b < 0xa0 ? (WINDOWS_1252_HIGH[b - 0x80] as number) : b);
  }
  return text;
}

/**
 * Decodes UTF-16LE code units; an unpaired surrogate becomes U+FFFD rather than an exception,
 * so one bad string never costs a whole record.
 */
export function decodeUtf16(bytes: Uint8Array, start: number, charCount: number): string {
  if (charCount <= 0) return '';
  if (charCount > 24) return utf16Decoder.decode(bytes.subarray(start, start + charCount * 2));
  let text = '';
  for (let i = 0; i < charCount; i++) {
    const p = start + i * 2;
    const unit = (bytes[p] as number) | ((bytes[p + 1] as number) << 8);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < charCount) {
      const q = p + 2;
      const next = (bytes[q] as number) | ((bytes[q + 1] as number) << 8);
      if (next >= 0xdc00 && next <= 0xdfff) {
        text += String.fromCharCode(unit, next);
        i++;
        continue;
      }
    }
    text += unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : String.fromCharCode(unit);
  }
  return text;
}

/** Removes trailing NUL characters, which string values often carry as their terminator. */
export function trimTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * CRC-32 as RFC 1952 (gzip) defines it: reflected polynomial 0xEDB88320, initial value 0 as the
 * EVTX format document describes for the file header, chunk header and event-records checksums.
 */

const CRC_TABLE: Uint32Array = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Continues a CRC-32 over bytes[start, end); pass the previous result to checksum split ranges. */
export function updateCrc32(previous: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Computes the CRC-32 of bytes[start, end). */
export function computeCrc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return updateCrc32(0, bytes, start, end);
}

/**
 * Data the model writes and expects: small extents at random offsets, so a multi-GiB
 * sparse volume stays cheap to write and to check.
 */

/** One write the model remembers: `length` bytes at `offset`, generated from `fill`. */
export interface Extent {
  readonly offset: number;
  readonly length: number;
  /** Seed of the bytes; distinct writes get distinct contents. */
  readonly fill: number;
}

/** Deterministic bytes for an extent (xorshift32), so nothing needs to be stored. */
export function extentBytes(extent: Extent): Buffer {
  const buf = Buffer.allocUnsafe(extent.length);
  let x = (extent.fill | 0) || 0x9e3779b9;
  for (let i = 0; i < extent.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** What `[offset, offset+length)` must read as, given the writes in order (zeros elsewhere). */
export function expectedBytes(extents: readonly Extent[], offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (const e of extents) {
    const from = Math.max(offset, e.offset);
    const to = Math.min(offset + length, e.offset + e.length);
    if (from >= to) continue;
    extentBytes(e).copy(out, from - offset, from - e.offset, to - e.offset);
  }
  return out;
}

/** Largest data record per extent; import-diff buffers one record at a time. */
const MAX_RECORD = 4 * 1024 * 1024;

/**
 * Encodes a write of `data` at `offset` as an RBD diff stream (format v1, what
 * `rbd export-diff` writes and `rbd import-diff` applies): the header line, one `w`
 * record (offset, length, bytes; little-endian u64s) per chunk, and the end tag `e`.
 *
 * @remarks It carries no `f`/`t` (snapshot) and no `s` (size) record, so importing it
 * neither checks nor creates snapshots and never resizes the image.
 */
export function encodeRbdDiff(offset: number, data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('rbd diff v1\n', 'ascii')];
  for (let at = 0; at < data.length; at += MAX_RECORD) {
    const chunk = data.subarray(at, Math.min(at + MAX_RECORD, data.length));
    const head = Buffer.alloc(17);
    head.write('w', 0, 'ascii');
    head.writeBigUInt64LE(BigInt(offset + at), 1);
    head.writeBigUInt64LE(BigInt(chunk.length), 9);
    parts.push(head, chunk);
  }
  parts.push(Buffer.from('e', 'ascii'));
  return Buffer.concat(parts);
}

import { AshlarError } from '../errors/ashlar-error.js';

/**
 * Turns the hex dump `qemu-io -c 'read -v OFFSET LENGTH'` prints back into bytes.
 *
 * Each line is `ADDR:  xx xx ... xx  ascii`, 16 bytes a line, ADDR in hex starting at
 * OFFSET. Only the first min(16, bytes left) pairs after `ADDR:  ` are taken, so the ASCII
 * column (which may itself look like hex) is never read as data.
 *
 * @throws BACKEND_ERROR when a line is malformed or bytes are missing.
 */
export function parseQemuHexdump(text: string, offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  const end = offset + length;
  let filled = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':  ');
    if (colon < 1 || !/^[0-9a-f]+$/.test(line.slice(0, colon))) continue;
    const addr = Number.parseInt(line.slice(0, colon), 16);
    if (addr < offset || addr >= end) continue;
    const count = Math.min(16, end - addr);
    const hex = line.slice(colon + 3, colon + 3 + count * 3);
    for (let i = 0; i < count; i += 1) {
      const byte = Number.parseInt(hex.slice(i * 3, i * 3 + 2), 16);
      if (Number.isNaN(byte) || hex[i * 3 + 2] !== ' ') {
        throw new AshlarError('BACKEND_ERROR', { details: { reason: `unexpected qemu-io dump line at 0x${addr.toString(16)}` } });
      }
      out[addr - offset + i] = byte;
    }
    filled += count;
  }
  if (filled !== length) {
    throw new AshlarError('BACKEND_ERROR', { details: { reason: `qemu-io dumped ${filled} of ${length} bytes` } });
  }
  return out;
}

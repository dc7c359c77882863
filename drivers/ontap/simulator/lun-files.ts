import { execFile } from 'node:child_process';
import { open, mkdir, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Block size of SnapMirror's changed-block comparison. */
const BLOCK = 1024 * 1024;

/**
 * The sparse files that hold LUN data. Copies keep holes (`cp --sparse=always`, which
 * skips holes with SEEK_DATA) and always write into the destination inode, never rename
 * over it: tgtd keeps each mapped LUN's file open, and a renamed-over file would leave it
 * serving the old inode.
 */
export class LunFiles {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = dataDir;
  }

  /** Absolute path of a file named relative to the data directory. */
  abs(file: string): string {
    return path.join(this.#dir, file);
  }

  /** A new zero-filled sparse file. */
  async create(file: string, size: number): Promise<void> {
    await mkdir(path.dirname(this.abs(file)), { recursive: true });
    const fh = await open(this.abs(file), 'wx', 0o600);
    await fh.truncate(size);
    await fh.close();
  }

  /** Copies `from` into `to` (created or overwritten in place), holes kept. */
  async copy(from: string, to: string): Promise<void> {
    await mkdir(path.dirname(this.abs(to)), { recursive: true });
    await run('cp', ['--sparse=always', '--', this.abs(from), this.abs(to)]);
  }

  /** Grows (or shrinks) a file in place. */
  async resize(file: string, size: number): Promise<void> {
    await truncate(this.abs(file), size);
  }

  async remove(file: string): Promise<void> {
    await rm(this.abs(file), { force: true, recursive: true });
  }

  /**
   * Makes `toAbs` equal to `fromAbs` by writing only the blocks that differ (SnapMirror's
   * changed-block transfer). Returns the bytes written.
   */
  static async syncBlocks(fromAbs: string, toAbs: string): Promise<number> {
    const src = await open(fromAbs, 'r');
    const dst = await open(toAbs, 'r+');
    try {
      const size = (await src.stat()).size;
      await dst.truncate(size);
      const a = Buffer.alloc(BLOCK);
      const b = Buffer.alloc(BLOCK);
      let written = 0;
      for (let at = 0; at < size; at += BLOCK) {
        const len = Math.min(BLOCK, size - at);
        await src.read(a, 0, len, at);
        await dst.read(b, 0, len, at);
        if (!a.subarray(0, len).equals(b.subarray(0, len))) {
          await dst.write(a, 0, len, at);
          written += len;
        }
      }
      await dst.sync();
      return written;
    } finally {
      await src.close();
      await dst.close();
    }
  }
}

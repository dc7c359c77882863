import type { LvmCommands } from './lvm-commands.js';

const GiB = 1024 ** 3;
/** How a copy's limit is named in a TIMEOUT: the option it is derived from. */
const COPY_BUDGET = '60 s + copyTimeoutSecondsPerGiB per GiB';
const BLOCK_SIZES = [4 * 1024 * 1024, 1024 * 1024, 64 * 1024, 4096, 512] as const;

/** The largest block size that divides every value, so dd needs no byte-offset flags. */
function blockSizeFor(...values: number[]): number {
  return BLOCK_SIZES.find((bs) => values.every((v) => v % bs === 0)) ?? 1;
}

/**
 * Copies and clears LV data with `dd` on the storage host, through the same executor as
 * the lvm2 commands (the data never crosses the transport). Direct I/O keeps the host's
 * page cache out of the way, which measured ~3x faster than buffered writes + fsync.
 */
export class DataPath {
  readonly #cmds: LvmCommands;
  readonly #secondsPerGiB: number;

  constructor(cmds: LvmCommands, secondsPerGiB: number) {
    this.#cmds = cmds;
    this.#secondsPerGiB = secondsPerGiB;
  }

  #timeout(bytes: number): number {
    return 60_000 + Math.ceil((bytes / GiB) * this.#secondsPerGiB * 1000);
  }

  /** Copies the first `bytes` of device `from` onto device `to`. */
  async copy(from: string, to: string, bytes: number, id: string, signal: AbortSignal): Promise<void> {
    if (bytes <= 0) return;
    const bs = blockSizeFor(bytes);
    const argv = ['dd', `if=${from}`, `of=${to}`, `bs=${bs}`, `count=${bytes / bs}`, 'iflag=direct', 'oflag=direct', 'conv=fsync', 'status=none'];
    await this.#cmds.run(argv, { id }, signal, { timeoutMs: this.#timeout(bytes), budget: COPY_BUDGET });
  }

  /** Overwrites `bytes` of `device` from `offset` with zeros. */
  async zero(device: string, offset: number, bytes: number, id: string, signal: AbortSignal): Promise<void> {
    if (bytes <= 0) return;
    const bs = blockSizeFor(offset, bytes);
    const argv = ['dd', 'if=/dev/zero', `of=${device}`, `bs=${bs}`, `seek=${offset / bs}`, `count=${bytes / bs}`, 'oflag=direct', 'conv=fsync,notrunc', 'status=none'];
    await this.#cmds.run(argv, { id }, signal, { timeoutMs: this.#timeout(bytes), budget: COPY_BUDGET });
  }
}

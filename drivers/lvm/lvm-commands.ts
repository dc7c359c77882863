import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Executor } from '../../core/executor/executor.js';
import type { CommandResult } from '../../core/executor/transport.js';
import { lvmFailure, type LvmFailureContext } from './lvm-errors.js';
import { LV_FIELDS, parseLvReport, parseVgReport, VG_FIELDS, type LvInfo, type VgInfo } from './report.js';

const REPORT = ['--reportformat', 'json', '--units', 'b', '--nosuffix'] as const;

/** Everything in the volume group, as one `lvs` report. */
export interface VgListing {
  readonly lvs: readonly LvInfo[];
  /** Undefined when the group has no LVs (the totals ride on LV rows). */
  readonly vg: VgInfo | undefined;
}

/**
 * The lvm2 and dd commands of one volume group, run through the driver's executor. It
 * knows argv shapes and report parsing; it does not know which host the commands reach.
 */
export class LvmCommands {
  readonly #executor: Executor;
  readonly vg: string;

  constructor(executor: Executor, vg: string) {
    this.#executor = executor;
    this.vg = vg;
  }

  /** `vg/lv`, the form lvm2 commands take. */
  path(lv: string): string {
    return `${this.vg}/${lv}`;
  }

  /** The device node of an LV on the storage host. */
  device(lv: string): string {
    return `/dev/${this.vg}/${lv}`;
  }

  /** Runs a command and throws the mapped registry error on a non-zero exit. */
  async run(argv: readonly string[], ctx: Omit<LvmFailureContext, 'argv'>, signal: AbortSignal, options: { stdin?: Buffer; timeoutMs?: number; budget?: string } = {}): Promise<CommandResult> {
    const result = await this.#executor.run(argv, { signal, stdin: options.stdin, timeoutMs: options.timeoutMs, budget: options.budget });
    if (result.exitCode !== 0) throw lvmFailure(result, { ...ctx, argv });
    return result;
  }

  /** Every (visible) LV of the group in one report. */
  async list(signal: AbortSignal): Promise<VgListing> {
    const argv = ['lvs', ...REPORT, '-o', LV_FIELDS, this.vg];
    const result = await this.run(argv, { id: this.vg }, signal);
    return parseLvReport(result.stdout.toString('utf8'));
  }

  /** One LV, or undefined when it does not exist. */
  async lv(name: string, signal: AbortSignal): Promise<LvInfo | undefined> {
    const argv = ['lvs', ...REPORT, '-o', LV_FIELDS, this.path(name)];
    const result = await this.#executor.run(argv, { signal });
    if (result.exitCode === 0) return parseLvReport(result.stdout.toString('utf8')).lvs[0];
    const err = lvmFailure(result, { argv, id: name, missing: 'VOLUME_NOT_FOUND' });
    if (err.code === 'VOLUME_NOT_FOUND') return undefined;
    throw err;
  }

  /** The group's totals; CONFIG_INVALID when it does not exist. */
  async vgInfo(signal: AbortSignal): Promise<VgInfo> {
    const argv = ['vgs', ...REPORT, '-o', VG_FIELDS, this.vg];
    const result = await this.#executor.run(argv, { signal });
    if (result.exitCode === 0) {
      const info = parseVgReport(result.stdout.toString('utf8'));
      if (info) return info;
    }
    const err = lvmFailure(result, { argv, id: this.vg });
    if (err.code === 'BACKEND_UNAVAILABLE') {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `volume group "${this.vg}" does not exist on the storage host (${String(err.details.reason)})` }, cause: err });
    }
    throw err;
  }
}

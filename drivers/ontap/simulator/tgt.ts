import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one SVM's target should serve. */
export interface TargetSpec {
  readonly tid: number;
  readonly iqn: string;
  /** LUN number → absolute backing file. */
  readonly luns: ReadonlyMap<number, string>;
  /** Initiator names allowed to log in. */
  readonly initiators: ReadonlySet<string>;
  /** Inbound CHAP accounts (user → password); any bound account makes CHAP required. */
  readonly accounts: ReadonlyMap<string, string>;
}

interface Served {
  luns: Map<number, { file: string; size: number }>;
  initiators: Set<string>;
  accounts: Set<string>;
}

/**
 * The real iSCSI data path: one Debian `tgtd` (userspace target, no kernel module) per
 * simulator cluster, on 127.0.0.1 with its own control port, started fresh by the
 * simulator and brought to the persisted state by {@link TgtTarget.reconcile}: each SVM
 * is a target, its mapped LUNs are logical units backed by the LUN files, and the
 * initiators of its igroups are the target's ACL (tgt masks per target, not per LUN).
 * LUN 0 is tgt's controller LUN, so LUN numbers start at 1.
 */
export class TgtTarget {
  readonly #portal: string;
  readonly #control: string;
  readonly #pidFile: string;
  readonly #served = new Map<number, Served>();
  /** tgtd's accounts are global (bound to targets by name): user → password. */
  readonly #accounts = new Map<string, string>();
  #child: ChildProcess | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly port: number, controlPort: number, dataDir: string) {
    this.#portal = `127.0.0.1:${port}`;
    this.#control = String(controlPort);
    this.#pidFile = path.join(dataDir, 'tgtd.pid');
  }

  /** Starts tgtd (ending one a killed simulator left behind) and waits until it answers. */
  async start(): Promise<void> {
    this.#killStale();
    const child = spawn('tgtd', ['-f', '--iscsi', `portal=${this.#portal}`, '-C', this.#control], { stdio: 'ignore' });
    this.#child = child;
    writeFileSync(this.#pidFile, String(child.pid));
    for (let i = 0; i < 100; i += 1) {
      if (child.exitCode !== null) throw new Error(`tgtd exited with ${child.exitCode} (is port ${this.port} free?)`);
      try {
        await this.#tgtadm(['--op', 'show', '--mode', 'sys']);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('tgtd did not answer within 10 s');
  }

  /** Stops tgtd. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // tgtd ignores SIGTERM; its state is rebuilt from ours at every start anyway.
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  }

  /** Brings one target to `spec`; calls are serialised. */
  reconcile(spec: TargetSpec): Promise<void> {
    const next = this.#queue.then(() => this.#apply(spec));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #apply(spec: TargetSpec): Promise<void> {
    let served = this.#served.get(spec.tid);
    if (served === undefined) {
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'new', '--mode', 'target', '--tid', String(spec.tid), '-T', spec.iqn]);
      served = { luns: new Map(), initiators: new Set(), accounts: new Set() };
      this.#served.set(spec.tid, served);
    }
    const tid = ['--tid', String(spec.tid)];
    for (const [lun, have] of served.luns) {
      const want = spec.luns.get(lun);
      const size = want === undefined ? -1 : await sizeOf(want);
      if (want === have.file && size === have.size) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'delete', '--mode', 'logicalunit', ...tid, '--lun', String(lun)]);
      served.luns.delete(lun);
    }
    for (const [lun, file] of spec.luns) {
      if (served.luns.has(lun)) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'new', '--mode', 'logicalunit', ...tid, '--lun', String(lun), '-b', file]);
      served.luns.set(lun, { file, size: await sizeOf(file) });
    }
    for (const name of served.initiators) {
      if (spec.initiators.has(name)) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'unbind', '--mode', 'target', ...tid, '--initiator-name', name]);
      served.initiators.delete(name);
    }
    for (const name of spec.initiators) {
      if (served.initiators.has(name)) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'bind', '--mode', 'target', ...tid, '--initiator-name', name]);
      served.initiators.add(name);
    }
    await this.#applyAccounts(spec, served);
  }

  /** Binds exactly the spec's CHAP accounts to the target (a changed password re-creates the account). */
  async #applyAccounts(spec: TargetSpec, served: Served): Promise<void> {
    const tid = ['--tid', String(spec.tid)];
    for (const user of served.accounts) {
      if (spec.accounts.get(user) === this.#accounts.get(user)) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'unbind', '--mode', 'account', ...tid, '--user', user]);
      served.accounts.delete(user);
    }
    for (const [user, password] of spec.accounts) {
      if (this.#accounts.get(user) !== password) {
        if (this.#accounts.has(user)) {
          // tgtadm cannot change a password: delete (which unbinds it everywhere) and re-create.
          await this.#tgtadm(['--lld', 'iscsi', '--op', 'delete', '--mode', 'account', '--user', user]);
          for (const other of this.#served.values()) other.accounts.delete(user);
        }
        // The password reaches tgtadm's argv: tgtadm has no other way to take it, and the
        // simulator runs on a test host only.
        await this.#tgtadm(['--lld', 'iscsi', '--op', 'new', '--mode', 'account', '--user', user, '--password', password]);
        this.#accounts.set(user, password);
      }
      if (served.accounts.has(user)) continue;
      await this.#tgtadm(['--lld', 'iscsi', '--op', 'bind', '--mode', 'account', ...tid, '--user', user]);
      served.accounts.add(user);
    }
  }

  async #tgtadm(args: readonly string[]): Promise<string> {
    const { stdout } = await run('tgtadm', ['-C', this.#control, ...args], { timeout: 30_000 });
    return stdout;
  }

  /** A tgtd left running by a simulator that was killed holds the port: end it. */
  #killStale(): void {
    if (!existsSync(this.#pidFile)) return;
    const pid = Number(readFileSync(this.#pidFile, 'utf8'));
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith('tgtd') || !cmdline.includes(`portal=${this.#portal}`)) return;
      process.kill(pid, 'SIGKILL');
    } catch {
      return; // gone already
    }
    // Wait (briefly, synchronously: this runs once at start-up) until the port is free.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i += 1) Atomics.wait(pause, 0, 0, 100);
  }
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

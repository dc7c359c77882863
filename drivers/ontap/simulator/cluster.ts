import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CODES, OntapApiError } from './errors.js';
import { LunFiles } from './lun-files.js';
import { credentialsOf, type ClusterState, type SimJob, type SimLun, type SimSvm, type SimVolume } from './model.js';
import type { StateStore } from './store.js';
import type { TgtTarget } from './tgt.js';

/** How long finished jobs stay readable by default. */
export const JOB_TTL_MS = 10 * 60_000;

/**
 * One simulated cluster: its persisted state and the machinery behind it (LUN files,
 * the tgt data path, jobs). Route handlers change `state` and call {@link Cluster.commit}
 * in the same event-loop turn.
 */
export class Cluster {
  readonly files: LunFiles;
  readonly #store: StateStore;
  readonly #tgt: TgtTarget;
  readonly #jobTtlMs: number;

  constructor(
    public state: ClusterState,
    store: StateStore,
    tgt: TgtTarget,
    readonly dataDir: string,
    jobTtlMs = JOB_TTL_MS,
  ) {
    this.#store = store;
    this.#tgt = tgt;
    this.#jobTtlMs = jobTtlMs;
    this.files = new LunFiles(dataDir);
  }

  /** Saves the state durably. */
  commit(): void {
    this.#store.save(this.state);
  }

  /** The iSCSI portal (`127.0.0.1:PORT`) of this cluster. */
  get iscsiPort(): number {
    return this.#tgt.port;
  }

  svm(name: string): SimSvm {
    const svm = this.state.svms.find((s) => s.name === name || s.uuid === name);
    if (svm === undefined) throw new OntapApiError(404, CODES.entryNotFound, `SVM "${name}" does not exist`, 'svm.name');
    return svm;
  }

  volumeByUuid(uuid: string): SimVolume {
    const v = this.state.volumes.find((x) => x.uuid === uuid);
    if (v === undefined) throw new OntapApiError(404, CODES.entryNotFound, `entry doesn't exist`, 'uuid');
    return v;
  }

  /** The FlexVol a `/vol/<flexvol>/...` path lives in. */
  volumeOfPath(svm: string, lunPath: string): SimVolume {
    const m = /^\/vol\/([^/]+)\/(.+)$/.exec(lunPath);
    if (m === null) throw new OntapApiError(400, CODES.invalidField, `invalid LUN path "${lunPath}": expected /vol/<volume>/<lun>`, 'name');
    const v = this.state.volumes.find((x) => x.name === m[1] && x.svm === svm);
    if (v === undefined) throw new OntapApiError(404, CODES.volumeNotFound, `Volume "${m[1]}" in SVM "${svm}" does not exist`, 'name');
    return v;
  }

  lunByUuid(uuid: string): SimLun {
    const l = this.state.luns.find((x) => x.uuid === uuid);
    if (l === undefined) throw new OntapApiError(404, CODES.entryNotFound, `entry doesn't exist`, 'uuid');
    return l;
  }

  /** Bytes the FlexVol's LUNs provision. */
  usedOf(volume: SimVolume): number {
    return this.state.luns.filter((l) => l.volumeUuid === volume.uuid).reduce((s, l) => s + l.size, 0);
  }

  /** Starts an asynchronous job; `work` runs on the next turn and its outcome is recorded. */
  startJob(description: string, work: () => Promise<void>): SimJob {
    this.tidyJobs(false);
    const job: SimJob = { uuid: randomUUID(), description, state: 'queued', message: 'Queued', code: 0, start_time: new Date().toISOString(), expires: Date.now() + this.#jobTtlMs };
    this.state.jobs.push(job);
    this.commit();
    setImmediate(() => void this.#runJob(job, work));
    return job;
  }

  async #runJob(job: SimJob, work: () => Promise<void>): Promise<void> {
    job.state = 'running';
    job.message = 'Running';
    try {
      if (Math.random() < this.state.faults.jobFailureRate) throw new OntapApiError(500, CODES.jobFailed, 'injected fault: job failed');
      await work();
      job.state = 'success';
      job.message = 'success';
    } catch (err) {
      job.state = 'failure';
      job.message = err instanceof Error ? err.message : String(err);
      job.code = Number(err instanceof OntapApiError ? err.code : CODES.jobFailed);
    }
    job.end_time = new Date().toISOString();
    job.expires = Date.now() + this.#jobTtlMs;
    this.commit();
  }

  /** Forgets expired jobs; marks jobs a restart interrupted as failed. */
  tidyJobs(restarted: boolean): void {
    const now = Date.now();
    this.state.jobs = this.state.jobs.filter((j) => j.expires > now);
    if (restarted) {
      for (const j of this.state.jobs) {
        if (j.state === 'queued' || j.state === 'running') {
          j.state = 'failure';
          j.message = 'job interrupted: the cluster restarted';
          j.code = Number(CODES.jobFailed);
          j.end_time = new Date().toISOString();
        }
      }
    }
  }

  /** Removes data files no object refers to (a crash between copy and commit leaves some). */
  async sweepOrphans(): Promise<number> {
    const known = new Set<string>();
    for (const l of this.state.luns) known.add(l.file);
    for (const v of this.state.volumes) for (const s of v.snapshots) for (const l of s.luns) known.add(l.file);
    let removed = 0;
    for (const sub of ['luns', 'snapshots']) {
      const entries = await readdir(path.join(this.dataDir, sub), { recursive: true, withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!e.isFile()) continue;
        const rel = path.relative(this.dataDir, path.join(e.parentPath, e.name));
        if (!known.has(rel)) {
          await this.files.remove(rel);
          removed += 1;
        }
      }
    }
    return removed;
  }

  /** Brings every SVM's iSCSI target to the current maps and igroups. */
  async exportLuns(): Promise<void> {
    for (const [i, svm] of this.state.svms.entries()) {
      const igroups = this.state.igroups.filter((g) => g.svm === svm.name);
      const luns = new Map<number, string>();
      for (const m of this.state.lunMaps) {
        if (!igroups.some((g) => g.uuid === m.igroupUuid)) continue;
        const lun = this.state.luns.find((l) => l.uuid === m.lunUuid);
        if (lun !== undefined) luns.set(m.logical_unit_number, this.files.abs(lun.file));
      }
      const credentials = credentialsOf(this.state).filter((c) => c.svm === svm.name);
      const denied = new Set(credentials.filter((c) => c.authentication_type === 'deny').map((c) => c.initiator));
      const initiators = new Set(igroups.flatMap((g) => g.initiators).filter((n) => !denied.has(n)));
      const accounts = new Map(credentials.flatMap((c) => (c.authentication_type === 'chap' && c.chap !== undefined ? [[c.chap.user, c.chap.password] as const] : [])));
      await this.#tgt.reconcile({ tid: i + 1, iqn: svm.iqn, luns, initiators, accounts });
    }
  }
}

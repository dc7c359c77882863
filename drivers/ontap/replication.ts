import type * as C from '../../core/contract/index.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { mapOntapError } from './errors.js';
import type { OntapDriverConfig } from './manifest.js';
import type { SvmView } from './svm-view.js';

interface RelationshipRecord {
  readonly uuid: string;
  readonly state: string;
  readonly healthy?: boolean;
  readonly lag_time?: string;
}

/**
 * SnapMirror replication of every configured FlexVol to a FlexVol of the same name in the
 * target SVM, managed (as ONTAP requires) through the destination cluster's API. Failover
 * breaks the relationships there, which makes the mirrors writable; the LUN names are the
 * same, so the driver then simply talks to the target's view.
 */
export class SnapMirrorReplication {
  constructor(
    private readonly primary: SvmView,
    /** The target cluster's view of the same FlexVols. */
    readonly secondary: SvmView,
    private readonly target: NonNullable<OntapDriverConfig['replication']>,
  ) {}

  get backendId(): string {
    return this.target.backendId;
  }

  /** The relationship whose destination is `flexvol` on the target. */
  async #relationship(flexvol: string, signal: AbortSignal): Promise<RelationshipRecord | undefined> {
    const recs = await this.secondary.client.list<RelationshipRecord>('/api/snapmirror/relationships', { 'destination.path': `${this.secondary.svm}:${flexvol}`, fields: 'uuid,state,healthy,lag_time' }, signal);
    return recs[0];
  }

  /** Creates missing destination FlexVols (type dp) and relationships, initialized. */
  async ensureMirrors(signal: AbortSignal): Promise<void> {
    try {
      for (const flexvol of this.primary.flexvols) {
        if ((await this.#relationship(flexvol, signal)) !== undefined) continue;
        const existing = await this.secondary.client.list('/api/storage/volumes', { 'svm.name': this.secondary.svm, name: flexvol }, signal);
        if (existing.length === 0) {
          const src = await this.primary.client.get<{ size: number }>(`/api/storage/volumes/${await this.primary.flexvolUuid(flexvol, signal)}`, { fields: 'size' }, signal);
          await this.secondary.client.send('POST', '/api/storage/volumes', {}, { name: flexvol, svm: { name: this.secondary.svm }, size: src.size, type: 'dp' }, signal);
        }
        await this.secondary.client.send(
          'POST',
          '/api/snapmirror/relationships',
          {},
          { source: { path: `${this.primary.svm}:${flexvol}`, cluster: { name: this.target.sourceCluster } }, destination: { path: `${this.secondary.svm}:${flexvol}` }, policy: { name: 'MirrorAllSnapshots' }, state: 'snapmirrored' },
          signal,
        );
      }
    } catch (err) {
      throw mapOntapError(err, `setting up SnapMirror to ${this.target.backendId}`);
    }
  }

  /** Relationship health for stats: the worst lag in seconds, and whether all are healthy. */
  async status(signal: AbortSignal): Promise<{ healthy: boolean; lagSeconds: number | undefined }> {
    let healthy = true;
    let lag: number | undefined;
    for (const flexvol of this.primary.flexvols) {
      const r = await this.#relationship(flexvol, signal);
      if (r === undefined || r.healthy === false) healthy = false;
      const m = r?.lag_time === undefined ? null : /^PT(\d+)S$/.exec(r.lag_time);
      if (m) lag = Math.max(lag ?? 0, Number(m[1]));
    }
    return { healthy, lagSeconds: lag };
  }

  /**
   * Breaks every relationship (quiesce, then break) so the target's FlexVols become
   * writable, and reports each volume by whether its LUN is there.
   */
  async failover(volumes: readonly C.DriverVolume[], signal: AbortSignal): Promise<C.FailoverResult> {
    try {
      for (const flexvol of this.primary.flexvols) {
        const r = await this.#relationship(flexvol, signal);
        if (r === undefined) throw new AshlarError('BACKEND_ERROR', { details: { reason: `no SnapMirror relationship to ${this.secondary.svm}:${flexvol} on ${this.target.backendId}` } });
        if (r.state === 'broken_off') continue;
        if (r.state === 'snapmirrored') await this.secondary.client.send('PATCH', `/api/snapmirror/relationships/${r.uuid}`, {}, { state: 'paused' }, signal);
        await this.secondary.client.send('PATCH', `/api/snapmirror/relationships/${r.uuid}`, {}, { state: 'broken_off' }, signal);
      }
      const updates: C.VolumeFailoverUpdate[] = [];
      for (const v of volumes) {
        const lun = await this.secondary.findLun(v.id, signal);
        updates.push(lun === undefined ? { volumeId: v.id, replicationStatus: 'error' } : { volumeId: v.id, replicationStatus: 'failed-over', providerLocation: lun.path });
      }
      return { activeBackendId: this.target.backendId, volumeUpdates: updates };
    } catch (err) {
      throw mapOntapError(err, `failing over to ${this.target.backendId}`);
    }
  }
}

import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';

/** What one project (or `(total)`) keeps on a volume host, as os-hosts shows it. */
export interface HostUsage {
  readonly project: string;
  readonly volumeCount: number;
  readonly volumeGb: number;
  readonly snapshotCount: number;
  readonly snapshotGb: number;
}

/**
 * The volumes and snapshots on a volume host (`host@backend`, every pool), per project and
 * in total (first), as Cinder's os-hosts show counts them.
 */
export async function hostUsage(db: Kysely<Database>, host: string): Promise<HostUsage[]> {
  const onHost = (eb: any) => eb.or([eb('volumes.host', '=', host), eb('volumes.host', 'like', `${host.replace(/[%_]/g, '')}#%`)]);
  const vols = await db.selectFrom('volumes').select(['project_id', 'size']).where(onHost).execute();
  const snaps = await db.selectFrom('snapshots').innerJoin('volumes', 'volumes.id', 'snapshots.volume_id').select(['snapshots.project_id as project_id', 'snapshots.size as size']).where(onHost).execute();
  const by = new Map<string, { volumeCount: number; volumeGb: number; snapshotCount: number; snapshotGb: number }>();
  const entry = (p: string) => by.get(p) ?? by.set(p, { volumeCount: 0, volumeGb: 0, snapshotCount: 0, snapshotGb: 0 }).get(p)!;
  for (const v of vols) {
    for (const e of [entry('(total)'), entry(v.project_id)]) {
      e.volumeCount += 1;
      e.volumeGb += v.size;
    }
  }
  for (const s of snaps) {
    for (const e of [entry('(total)'), entry(s.project_id)]) {
      e.snapshotCount += 1;
      e.snapshotGb += s.size;
    }
  }
  entry('(total)');
  return [...by].map(([project, u]) => ({ project, ...u })).sort((a, b) => (a.project === '(total)' ? -1 : b.project === '(total)' ? 1 : a.project.localeCompare(b.project)));
}

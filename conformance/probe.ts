import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeDriver } from '../core/contract/runtime-driver.js';

/**
 * Something that can list what exists on the backend, to compare before and after.
 * Conformance finds leftovers without any driver-specific hook: each probe works on any
 * driver that offers what it needs.
 */
export interface BackendProbe {
  /** How it looks, for the report. */
  readonly description: string;
  /** Names of what exists now; compared as sets. */
  list(): Promise<Set<string>>;
}

/** Every file and directory under local directories the backend lives in (e.g. `file`'s `directory`). */
export function directoryProbe(roots: readonly string[]): BackendProbe {
  return {
    description: `files under ${roots.join(', ')}`,
    async list() {
      const out = new Set<string>();
      for (const root of roots) {
        const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
        for (const e of entries) out.add(path.join(e.parentPath, e.name));
      }
      return out;
    },
  };
}

/** Backend objects the driver reports as manageable (drivers declaring `manage`). */
export function manageableProbe(driver: () => RuntimeDriver): BackendProbe {
  return {
    description: 'listManageableVolumes',
    async list() {
      const out = new Set<string>();
      let marker: string | undefined;
      for (;;) {
        const { volumes } = await driver().listManageableVolumes({ marker, limit: 500 });
        for (const v of volumes) out.add(`manageable ${JSON.stringify(v.reference)}`);
        const last = volumes.at(-1)?.reference['source-name'];
        if (volumes.length < 500 || last === undefined) break;
        marker = last;
      }
      return out;
    },
  };
}

/** What appeared and what disappeared between two listings. */
export interface ProbeDiff {
  readonly added: string[];
  readonly removed: string[];
}

/** Lists every probe once. */
export async function snapshotProbes(probes: readonly BackendProbe[]): Promise<Set<string>> {
  const all = new Set<string>();
  for (const p of probes) for (const item of await p.list()) all.add(item);
  return all;
}

/** Compares two listings. */
export function diffListings(before: ReadonlySet<string>, after: ReadonlySet<string>): ProbeDiff {
  return {
    added: [...after].filter((x) => !before.has(x)).sort(),
    removed: [...before].filter((x) => !after.has(x)).sort(),
  };
}

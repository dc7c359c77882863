import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileLayout } from './layout.js';

/**
 * The provisioned size of every managed volume of one file backend, kept in memory so a
 * capacity check costs nothing instead of a readdir and a stat per image. Correct because
 * one driver instance owns its directory (the manifest declares `activeActive: false`) and
 * every method that adds, resizes or removes a volume file records it here; a new instance
 * rebuilds it from disk with {@link ProvisionedLedger.scan}, so it survives restarts.
 */
export class ProvisionedLedger {
  readonly #bytes = new Map<string, number>();
  #total = 0;

  /** Builds the ledger from the volume files now in `volumesDir` (empty when it is missing). */
  static async scan(volumesDir: string): Promise<ProvisionedLedger> {
    const ledger = new ProvisionedLedger();
    const names = await readdir(volumesDir).catch((err: { code?: string }) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    await Promise.all(
      names.map(async (name) => {
        const id = FileLayout.volumeIdOf(name);
        if (id === undefined) return;
        const st = await stat(path.join(volumesDir, name)).catch(() => undefined);
        if (st?.isFile()) ledger.set(id, st.size);
      }),
    );
    return ledger;
  }

  /** Sum of every recorded volume size, in bytes. */
  get totalBytes(): number {
    return this.#total;
  }

  /** The recorded size of one volume, in bytes. */
  get(id: string): number | undefined {
    return this.#bytes.get(id);
  }

  /** Records a volume's size in bytes (new or changed). */
  set(id: string, bytes: number): void {
    this.#total += bytes - (this.#bytes.get(id) ?? 0);
    this.#bytes.set(id, bytes);
  }

  /** Forgets a volume (deleted or unmanaged). */
  delete(id: string): void {
    this.#total -= this.#bytes.get(id) ?? 0;
    this.#bytes.delete(id);
  }
}

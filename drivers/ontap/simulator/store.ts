import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ClusterState } from './model.js';

/**
 * Keeps a cluster's state in one JSON file, rewritten in full after every change:
 * written to a temporary file, fsynced, renamed over the old one and the directory
 * fsynced, so a `kill -9` at any instant leaves either the old or the new state, never a
 * torn one. Sync I/O on purpose: a change and its save happen in one event-loop turn,
 * so no request can observe a change that is not yet on disk.
 */
export class StateStore {
  readonly #file: string;
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.#file = path.join(dataDir, 'state.json');
    mkdirSync(dataDir, { recursive: true });
  }

  /** The saved state, or undefined on first start. */
  load(): ClusterState | undefined {
    try {
      return JSON.parse(readFileSync(this.#file, 'utf8')) as ClusterState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Durably replaces the saved state. */
  save(state: ClusterState): void {
    const tmp = `${this.#file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#file);
    const dirFd = openSync(this.#dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

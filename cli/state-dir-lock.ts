/**
 * One `ashlar serve` per state directory. Two processes on one directory share its SQLite
 * database and its backend files, and each would resume the other's work at start-up (an
 * interrupted create is resumed by deleting what it left): the second is refused with the
 * first one's PID. The lock is a PID file created exclusively; a file left by a process
 * that is gone (kill -9) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AshlarError } from '../core/errors/ashlar-error.js';

/** The lock file's name in the state directory. */
export const LOCK_FILE = 'serve.pid';

/** True when a process with this PID runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the state directory for this process; returns the release function.
 *
 * @throws CONFIG_INVALID when another live process holds it.
 */
export function lockStateDir(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        // Only our own file: a successor may have taken over a file we left stale.
        const owner = (() => {
          try {
            return readFileSync(file, 'utf8').trim();
          } catch {
            return undefined;
          }
        })();
        if (owner === String(process.pid)) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new AshlarError('CONFIG_INVALID', {
        details: { reason: `state directory ${stateDir} is in use by another ashlar serve (PID ${holder}); both would run the same work. Stop it, or give this one its own --state-dir.`, section: 'DEFAULT', key: 'state_path' },
        suggestions: [`kill ${holder}`, '--state-dir <another directory>'],
      });
    }
    rmSync(file, { force: true });
  }
  throw new AshlarError('CONFIG_INVALID', { details: { reason: `could not lock state directory ${stateDir}: another process keeps taking it`, section: 'DEFAULT', key: 'state_path' } });
}

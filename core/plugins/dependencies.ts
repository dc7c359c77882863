import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AshlarError } from '../errors/ashlar-error.js';
import type { DriverManifest } from '../contract/types.js';

/** Finds a program on PATH the way execvp would, without running a shell. */
export async function findOnPath(program: string, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * Checks the optional dependencies a manifest declares that live on this host.
 * Dependencies on a backend host are the driver's own `checkSetup` business.
 *
 * @throws MISSING_DEPENDENCY naming the first missing one and how to install it.
 */
export async function checkDependencies(manifest: DriverManifest, options: { commandsRunLocally: boolean }): Promise<void> {
  for (const dep of manifest.requires ?? []) {
    const where = dep.where ?? 'local';
    if (where !== 'local') continue;
    let present = true;
    if (dep.kind === 'binary') {
      if (!options.commandsRunLocally) continue;
      present = (await findOnPath(dep.name)) !== undefined;
    } else {
      try {
        createRequire(path.join(process.cwd(), 'noop.js')).resolve(dep.name);
      } catch {
        try {
          createRequire(import.meta.url).resolve(dep.name);
        } catch {
          present = false;
        }
      }
    }
    if (!present) {
      throw new AshlarError('MISSING_DEPENDENCY', {
        details: { driver: manifest.name, kind: dep.kind === 'binary' ? 'program' : 'npm package', name: dep.name, install: dep.install },
        suggestions: [dep.install],
      });
    }
  }
}

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AshlarError } from '../core/errors/ashlar-error.js';
import { importUserModule } from '../core/util/import-user-module.js';
import type { AppFactory } from './collect-routes.js';
import type { Microversion } from './route-doc.js';

/** An app to document: its factory and, when the module says, its microversion range. */
export interface AppModule {
  readonly factory: AppFactory;
  readonly versions?: { readonly min: Microversion; readonly max: Microversion };
}

/**
 * Loads the app factory a user names with `--app`: `spec` is `path/to/module.ts#exportName`
 * (export defaults to `createApp`, then the default export). The module may also export
 * `versions` (`{min, max}`), the microversion range it serves.
 *
 * @throws INVALID_ARGUMENT when the module has no such export.
 */
export async function loadAppModule(spec: string): Promise<AppModule> {
  const [file = '', exportName] = spec.split('#');
  const mod = (await importUserModule(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  const factory = exportName ? mod[exportName] : (mod.createApp ?? mod.default);
  if (typeof factory !== 'function') {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `${file} exports no app factory${exportName ? ` named ${exportName}` : ' (createApp or default)'}` } });
  }
  const versions = mod.versions as AppModule['versions'] | undefined;
  return { factory: factory as AppFactory, ...(versions ? { versions } : {}) };
}

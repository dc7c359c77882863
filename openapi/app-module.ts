import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AshlarError } from '../core/errors/ashlar-error.js';
import { importUserModule } from '../core/util/import-user-module.js';
import type { AppFactory } from './collect-routes.js';
import { serviceAppFactory } from '../cli/service-app.js';

/**
 * The app factory to document: `spec` is `path/to/module.ts#exportName` (export defaults
 * to `createApp`, then the default export); without a spec, the wired service app.
 *
 * @throws INVALID_ARGUMENT when the module has no such export.
 * @returns undefined when no spec is given and the service is not wired yet.
 */
export async function loadAppFactory(spec?: string): Promise<AppFactory | undefined> {
  if (!spec) return serviceAppFactory;
  const [file = '', exportName] = spec.split('#');
  const mod = (await importUserModule(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  const factory = exportName ? mod[exportName] : (mod.createApp ?? mod.default);
  if (typeof factory !== 'function') {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `${file} exports no app factory${exportName ? ` named ${exportName}` : ' (createApp or default)'}` } });
  }
  return factory as AppFactory;
}

/**
 * The composition root's wiring of the reference service into the OpenAPI builder and the
 * docs: the factory of the app whose routes are documented, and the microversion range
 * it serves (the service's own constants, so the range is written once).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppModule } from '../openapi/app-module.js';
import { loadAppModule } from '../openapi/app-module.js';
import type { AppFactory } from '../openapi/collect-routes.js';
import { MAX_VERSION, MIN_VERSION } from '../service/api/microversion.js';
import { buildServiceConfig } from '../service/config/service-config.js';
import { startService, type RunningService } from '../service/service.js';
import { BUILTIN_DRIVERS } from './builtin-drivers.js';

/**
 * Starts the service API (role `api`, not listening) on embedded defaults in a throwaway
 * state directory; closing the app releases the database and removes the directory.
 */
export const serviceAppFactory: AppFactory = async (setup) => {
  const statePath = await mkdtemp(path.join(os.tmpdir(), 'ashlar-openapi-'));
  let service: RunningService | undefined;
  try {
    service = await startService(buildServiceConfig(new Map(), { statePath }), {
      role: 'api',
      listen: false,
      builtinDrivers: BUILTIN_DRIVERS,
      setupApp: (app) => {
        setup(app);
        app.addHook('onClose', async () => {
          await service?.db.destroy();
          await rm(statePath, { recursive: true, force: true });
        });
      },
    });
  } catch (err) {
    await rm(statePath, { recursive: true, force: true });
    throw err;
  }
  if (!service.app) throw new Error('the service started without its API');
  return service.app;
};

/** The microversion range the reference service serves. */
export const SERVICE_API_VERSIONS = { min: MIN_VERSION, max: MAX_VERSION } as const;

/** The reference service as an app to document. */
export const SERVICE_APP: AppModule = { factory: serviceAppFactory, versions: SERVICE_API_VERSIONS };

/**
 * The app `--app` names, or the reference service. A module that exports no `versions`
 * is documented with the reference service's range.
 */
export async function appToDocument(spec: string | undefined): Promise<Required<AppModule>> {
  const app = spec ? await loadAppModule(spec) : SERVICE_APP;
  return { factory: app.factory, versions: app.versions ?? SERVICE_API_VERSIONS };
}

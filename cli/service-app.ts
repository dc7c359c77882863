/**
 * The one wiring point between the OpenAPI builder and the reference service: the
 * factory of the app whose routes `ashlar openapi build` and `ashlar docs build` document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildServiceConfig } from '../service/config/service-config.js';
import { startService, type RunningService } from '../service/service.js';
import type { AppFactory } from '../openapi/collect-routes.js';

/**
 * Starts the service API (role `api`, not listening) on embedded defaults in a throwaway
 * state directory; closing the app releases the database and removes the directory.
 */
export const serviceAppFactory: AppFactory | undefined = async (setup) => {
  const statePath = await mkdtemp(path.join(os.tmpdir(), 'ashlar-openapi-'));
  let service: RunningService | undefined;
  try {
    service = await startService(buildServiceConfig(new Map(), { statePath }), {
      role: 'api',
      listen: false,
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

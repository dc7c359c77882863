import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { RouteEnv } from './define-route.js';
import type { ApiDeps } from './deps.js';
import { installPipeline } from './pipeline/install.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAttachmentRoutes } from './routes/attachments.js';
import { registerBackendAdminRoutes } from './routes/backend-admin.js';
import { registerBackupRoutes } from './routes/backups.js';
import { registerIdentityRoutes } from './routes/identity.js';
import { registerManageRoutes } from './routes/manage.js';
import { registerMessageRoutes } from './routes/messages.js';
import { registerMetadataRoutes } from './routes/metadata.js';
import { registerGroupSnapshotRoutes } from './routes/group-snapshots.js';
import { registerGroupTypeRoutes } from './routes/group-types.js';
import { registerGroupRoutes } from './routes/groups.js';
import { registerOsHostRoutes } from './routes/os-hosts.js';
import { registerQosSpecsRoutes } from './routes/qos-specs.js';
import { registerQuotaClassRoutes } from './routes/quota-classes.js';
import { registerQuotaRoutes } from './routes/quotas.js';
import { registerSnapshotRoutes } from './routes/snapshots.js';
import { registerTransferRoutes } from './routes/transfers.js';
import { registerTypeEncryptionRoutes } from './routes/type-encryption.js';
import { registerTypeRoutes } from './routes/types.js';
import { registerVersionRoutes } from './routes/versions.js';
import { registerVolumeActionRoutes } from './routes/volume-actions/index.js';
import { registerVolumeRoutes } from './routes/volumes.js';

/** Options of {@link buildApi}. */
export interface BuildApiOptions {
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  /**
   * Called with the instance before any route is registered: the OpenAPI builder installs
   * its route collector here, so it sees every route.
   */
  readonly setup?: ((app: FastifyInstance) => void) | undefined;
}

/**
 * The Cinder v3 API as a fastify instance (not listening). Every route is registered
 * through `defineRoute`, so each carries its RouteDoc as `config.doc`.
 */
export async function buildApi(deps: ApiDeps, options: BuildApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
  });
  options.setup?.(app);
  const env: RouteEnv = {
    authenticator: options.authenticator,
    admin: { users: deps.config.adminUsers, project: deps.config.adminProject },
    responseValidation: deps.config.responseValidation,
    experimentalApi: deps.config.experimentalApi,
    logger: options.logger,
    generation: deps.generation ? () => deps.generation!.current() : undefined,
  };
  // One error handler and one not-found handler render every fault; the caches are this app's.
  installPipeline(app, { logger: options.logger });
  registerVersionRoutes(app, env);
  registerVolumeRoutes(app, env, deps);
  registerVolumeActionRoutes(app, env, deps);
  registerMetadataRoutes(app, env, deps, 'volumes');
  registerSnapshotRoutes(app, env, deps);
  registerMetadataRoutes(app, env, deps, 'snapshots');
  registerTypeRoutes(app, env, deps);
  registerQuotaRoutes(app, env, deps);
  registerAdminRoutes(app, env, deps);
  registerMessageRoutes(app, env, deps);
  registerAttachmentRoutes(app, env, deps);
  registerBackendAdminRoutes(app, env, deps);
  registerQuotaClassRoutes(app, env, deps);
  registerTypeEncryptionRoutes(app, env, deps);
  registerBackupRoutes(app, env, deps);
  registerIdentityRoutes(app, env, deps);
  registerManageRoutes(app, env, deps);
  registerQosSpecsRoutes(app, env, deps);
  registerGroupTypeRoutes(app, env, deps);
  registerGroupRoutes(app, env, deps);
  registerGroupSnapshotRoutes(app, env, deps);
  registerTransferRoutes(app, env, deps);
  registerOsHostRoutes(app, env, deps);
  await app.ready();
  return app;
}

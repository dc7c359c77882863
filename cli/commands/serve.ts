import v8 from 'node:v8';
import { Flags } from '@oclif/core';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { ServiceRole } from '../../service/service.js';
import { AshlarCommand } from '../base-command.js';
import { lockStateDir } from '../state-dir-lock.js';

/** `ashlar serve`: the Cinder v3-compatible block storage service. */
export default class Serve extends AshlarCommand {
  static override summary = 'Run the Cinder v3-compatible block storage service.';
  static override description = [
    'Without a config file the service runs with embedded defaults: SQLite and one `file` backend under the state directory, noauth, listening on 127.0.0.1:8776.',
    'The config file is shaped like cinder.conf: [DEFAULT], [database], [coordination], [quota], [backend_defaults] (keys every backend inherits) and one section per name in enabled_backends.',
    'noauth: send X-Auth-Token: <user>:<project>. A caller is an administrator when its user is in admin_users (default "admin") or its project is admin_project (default "admin").',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --config /etc/ashlar/ashlar.conf --role all',
    'cinder --os-auth-type noauth --os-user-id admin --os-project-id 0123abcd --os-endpoint http://127.0.0.1:8776/v3 --os-volume-api-version 3.70 list',
  ];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Config file (cinder.conf-style INI).' }),
    role: Flags.option({ options: ['all', 'api', 'volume'] as const, default: 'all', description: 'all: API + scheduler + volume manager; api: API and scheduler only; volume: volume manager only.' })(),
    'state-dir': Flags.string({ description: 'State directory (overrides [DEFAULT] state_path). Default ./.ashlar-state.' }),
    port: Flags.integer({ description: 'Port to listen on (overrides osapi_volume_listen_port; 0 picks a free one).' }),
    listen: Flags.string({ description: 'Address to listen on (overrides osapi_volume_listen).' }),
    'response-validation': Flags.option({ options: ['off', 'warn', 'error'] as const, description: 'Check responses against their schemas.' })(),
  };

  async run(): Promise<{ url: string | undefined; role: string; startupMs: number }> {
    const { flags } = await this.parse(Serve);
    // A long-running service trades a little peak speed for memory: V8 then grows its heap
    // reluctantly and collects sooner. Measured with bench/service-load.ts: peak RSS under
    // create load about 100 MiB instead of 120–165 MiB, request rates within noise. Only
    // `serve` does this; the conformance runner is allocation-heavy and ~30 % slower with it.
    // The flag is read by the heap at every sizing decision, so setting it now takes effect.
    v8.setFlagsFromString('--optimize-for-size');
    // Loaded here, not at the top: every command module is imported whenever the CLI starts
    // (oclif's explicit command list), and fastify, the database layer and the validators
    // must not weigh on `ashlar --version` or `driver inspect`.
    const [{ createLogger }, { loadServiceConfig }, { startService }, { BUILTIN_DRIVERS }] = await Promise.all([
      import('../../core/logging.js'),
      import('../../service/config/service-config.js'),
      import('../../service/service.js'),
      import('../builtin-drivers.js'),
    ]);
    const config = loadServiceConfig(flags.config, {
      statePath: flags['state-dir'],
      port: flags.port,
      listen: flags.listen,
      responseValidation: flags['response-validation'],
      logLevel: flags['log-level'] === 'warn' ? undefined : flags['log-level'],
    });
    const logger = createLogger({ level: config.logLevel, name: 'ashlar-service' });
    // Only processes that run volume work take the directory: an API-only process beside
    // a volume-only one on the same state directory (sharing its SQLite file) is the
    // documented split, and the API role resumes nothing.
    const unlock = flags.role === 'api' ? () => undefined : lockStateDir(config.statePath);
    process.once('exit', unlock);
    const service = await startService(config, { role: flags.role as ServiceRole, logger, builtinDrivers: BUILTIN_DRIVERS }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      throw new AshlarError('CONFIG_INVALID', {
        details: { reason: `cannot listen on ${config.listen}:${config.port}: the address is in use (another ashlar serve, or another program). Choose another port with --port or osapi_volume_listen_port.`, section: 'DEFAULT', key: 'osapi_volume_listen_port' },
        suggestions: ['--port 0 picks a free port'],
      });
    });
    const ready = { url: service.url, role: service.role, startupMs: Math.round(service.startupMs), recovery: service.recovery, statePath: config.statePath, backends: config.backends.map((b) => b.section) };
    // One line on stdout when ready, so scripts and tests can wait for it.
    process.stdout.write(`${JSON.stringify({ ready })}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await service.close();
    unlock();
    return { url: service.url, role: service.role, startupMs: Math.round(service.startupMs) };
  }
}

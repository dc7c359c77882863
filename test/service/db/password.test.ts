import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { REDACT_PATHS } from '../../../core/logging.js';
import { parseIni } from '../../../service/config/ini.js';
import { buildServiceConfig } from '../../../service/config/service-config.js';
import { startService } from '../../../service/service.js';
import { BUILTIN_DRIVERS } from '../../../cli/builtin-drivers.js';
import { forEachDatabase } from '../databases/each-database.js';

/** A trace-level logger configured as the service's own, writing into `lines`. */
function capturingLogger(lines: string[]) {
  return pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '***' } }, { write: (l: string) => void lines.push(l) });
}

/** The database password appears in no log line and no error, whether the connection works or not. */
forEachDatabase('the database password', function (database) {
  this.timeout(120_000);
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-pw-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const config = (connection: string) => buildServiceConfig(parseIni(`[DEFAULT]\nlog_level = trace\n[database]\nconnection = ${connection}\n`), { statePath: dir, port: 0 });

  it('is in no log line of a service that starts, serves a create and stops', async () => {
    const db = await database.create();
    const password = decodeURIComponent(new URL(db.connection!).password);
    const lines: string[] = [];
    const svc = await startService(config(db.connection!), { logger: capturingLogger(lines), builtinDrivers: BUILTIN_DRIVERS });
    try {
      const r = await fetch(`${svc.url}/v3/volumes`, { method: 'POST', headers: { 'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json' }, body: JSON.stringify({ volume: { size: 1 } }) });
      expect(r.status).to.equal(202);
    } finally {
      await svc.close();
    }
    expect(lines.length).to.be.greaterThan(0);
    if (password.length > 0) expect(lines.join('')).to.not.include(password);
  });

  it('is in no error of a service that cannot open its database', async () => {
    const db = await database.create();
    const url = new URL(db.connection!);
    // MariaDB refuses the wrong password; the test PostgreSQL trusts any, so it is sent to a database that does not exist.
    url.password = 'Wr0ngPassw0rd';
    url.pathname = database.kind === 'postgresql' ? '/no_such_db' : url.pathname;
    const lines: string[] = [];
    const err = await startService(config(url.toString()), { logger: capturingLogger(lines), builtinDrivers: BUILTIN_DRIVERS }).then(
      (svc) => svc.close().then(() => undefined),
      (e: unknown) => e as Error & { code: string },
    );
    expect(err, 'the service must not start').to.not.equal(undefined);
    expect(err!.code).to.equal('CONFIG_INVALID');
    const everything = JSON.stringify({ message: err!.message, stack: err!.stack, json: err, cause: String((err as { cause?: unknown }).cause), causeStack: ((err as { cause?: Error }).cause)?.stack }) + lines.join('');
    expect(everything).to.include('cannot open the');
    expect(everything).to.not.include('Wr0ngPassw0rd');
  });
}, ['postgresql', 'mariadb']);

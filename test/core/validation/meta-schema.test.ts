import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JsonSchema, RouteDoc } from '../../../service/api/route-doc.js';
import { createAjv, loadCoreSchemas } from '../../../core/validation/schema-registry.js';
import { parseIni } from '../../../service/config/ini.js';
import { buildServiceConfig } from '../../../service/config/service-config.js';
import { startService } from '../../../service/service.js';
import * as serviceSections from '../../../service/config/schemas.js';
import { BUILTIN_DRIVERS, builtinDriverNames, loadDriverPlugin } from '../../../cli/builtin-drivers.js';

/**
 * The service's ajv instances skip the meta-schema check for this repository's own
 * schemas (it cost tens of milliseconds of start-up per instance); this test is where
 * those schemas are checked instead.
 */
describe('meta-schema check of the repository\'s own schemas', () => {
  const checker = createAjv();

  it('every core schema is a valid JSON Schema 2020-12 document', () => {
    const schemas = loadCoreSchemas();
    expect(schemas.length).to.be.greaterThan(5);
    for (const s of schemas) expect(checker.validateSchema(s), `${String(s.$id)}: ${checker.errorsText(checker.errors)}`).to.equal(true);
  });

  it('every request, action, query and response schema of every served route is valid', async function () {
    this.timeout(60_000);
    const docs = new Map<string, RouteDoc>();
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-meta-'));
    try {
      // Collect from the routes the service really registers, as the OpenAPI builder does.
      const config = buildServiceConfig(parseIni(''), { statePath: stateDir, port: 0 });
      const service = await startService(config, {
        listen: false,
        builtinDrivers: BUILTIN_DRIVERS,
        setupApp: (app) => app.addHook('onRoute', (r) => {
          const doc = (r.config as { doc?: RouteDoc } | undefined)?.doc;
          if (doc) docs.set(doc.operationId, doc);
        }),
      });
      await service.close();
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
    expect(docs.size).to.be.greaterThan(40);
    const schemas: [string, JsonSchema][] = [];
    for (const d of docs.values()) {
      for (const b of d.body ?? []) schemas.push([`${d.operationId} body`, b.schema]);
      for (const a of d.actions ?? []) {
        schemas.push([`${d.operationId} ${a.name}`, a.schema]);
        if (a.response) schemas.push([`${d.operationId} ${a.name} response`, a.response]);
      }
      if (d.query) schemas.push([`${d.operationId} query`, d.query]);
      for (const [status, variants] of Object.entries(d.responses)) for (const v of variants) schemas.push([`${d.operationId} ${status}`, v.schema]);
    }
    for (const [where, s] of schemas) expect(checker.validateSchema(s as object), `${where}: ${checker.errorsText(checker.errors)}`).to.equal(true);
  });

  it('every config section schema of the service is valid (checked here, not at start-up)', () => {
    const sections = Object.entries(serviceSections).filter(([name]) => name.endsWith('_SCHEMA'));
    expect(sections.length).to.be.greaterThan(3);
    for (const [name, s] of sections) expect(checker.validateSchema({ ...(s as object), additionalProperties: false }), `${name}: ${checker.errorsText(checker.errors)}`).to.equal(true);
  });

  it('every built-in driver\'s config schema is valid (checked here, not at start-up)', async () => {
    const names = builtinDriverNames();
    expect(names).to.include.members(['file', 'rbd', 'lvm']);
    for (const name of names) {
      const { manifest } = await loadDriverPlugin(name);
      expect(checker.validateSchema({ ...(manifest.configSchema as object), additionalProperties: false }), `${name}: ${checker.errorsText(checker.errors)}`).to.equal(true);
    }
  });
});

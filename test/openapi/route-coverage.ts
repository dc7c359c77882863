/**
 * The generic "document ⇔ served routes" check: works over any AppFactory, so the lead
 * can run it over the reference service by adding it to the list in
 * routes-served.test.ts.
 */
import { buildOpenApi, openApiPath } from '../../openapi/build.js';
import { collectRoutes, type AppFactory, type CollectedRoute } from '../../openapi/collect-routes.js';
import { servedRoutes } from '../../openapi/served-routes.js';

const toFastify = (p: string): string => p.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
const toOpenApi = openApiPath;

/**
 * Problems found: served routes missing from the document (compared with the router's
 * own table, an independent witness) and documented paths the router does not serve.
 */
export async function routeCoverageProblems(factory: AppFactory): Promise<string[]> {
  let collected: CollectedRoute[] = [];
  const app = await factory((instance) => {
    collected = collectRoutes(instance);
  });
  try {
    await app.ready();
    const doc = buildOpenApi(collected, { versions: { min: '3.0', max: '3.70' } });
    const documented = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        documented.add(`${method.toUpperCase()} ${p}`);
        const alias = op['x-ashlar-also-served-at'];
        if (typeof alias === 'string') documented.add(`${method.toUpperCase()} ${alias}`);
      }
    }
    const problems: string[] = [];
    const served = servedRoutes(app);
    for (const r of served) {
      // fastify answers HEAD for every GET on its own; those are not separate operations.
      if (r.method === 'HEAD' && served.some((g) => g.method === 'GET' && g.url === r.url)) continue;
      const key = `${r.method} ${toOpenApi(r.url)}`;
      if (!documented.has(key)) problems.push(`served but not documented: ${key}`);
    }
    for (const key of [...documented].sort()) {
      const [method = '', p = ''] = key.split(' ');
      if (!app.hasRoute({ method: method as 'GET', url: toFastify(p) })) problems.push(`documented but not served: ${key}`);
    }
    return problems;
  } finally {
    await app.close();
  }
}

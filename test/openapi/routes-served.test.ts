import { expect } from 'chai';
import Fastify from 'fastify';
import type { AppFactory } from '../../openapi/collect-routes.js';
import { serviceAppFactory } from '../../cli/service-app.js';
import { createFixtureApp } from './fixture-app.js';
import { routeCoverageProblems } from './route-coverage.js';

// Every app whose document is published; the service joins as soon as it is wired in.
const apps: [string, AppFactory][] = [['fixture app', createFixtureApp], ['reference service', serviceAppFactory]];

describe('OpenAPI document ⇔ served routes', () => {
  for (const [name, factory] of apps) {
    it(`every registered route of the ${name} is in the document and every path in the document is served`, async () => {
      expect(await routeCoverageProblems(factory)).to.deep.equal([]);
    });
  }

  it('notices a route registered before the documentation hook was installed', async () => {
    const early: AppFactory = (setup) => {
      const app = Fastify();
      app.get('/v3/:project_id/sneaky', async () => ({}));
      setup(app);
      app.get('/v3/:project_id/visible', { config: { doc: { operationId: 'visible', summary: 's', tags: ['t'], responses: { 200: [] } } } }, async () => ({}));
      return app;
    };
    expect(await routeCoverageProblems(early)).to.deep.equal(['served but not documented: GET /v3/{project_id}/sneaky']);
  });
});

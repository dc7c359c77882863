import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { parse } from 'yaml';
import { startTestService } from '../helpers.js';

// Issue 15, item 5: routes flagged experimental were served to everyone and none was
// flagged; now the operator opts in with enable_experimental_api.
describe('experimental API routes (issue 15)', () => {
  it('answers 404 for an experimental route unless the operator opts in', async () => {
    const off = await startTestService();
    try {
      const r = await off.call('POST', '/v3/workers/cleanup', { body: {}, version: '3.24' });
      expect(r.status).to.equal(404);
      expect(r.body.itemNotFound.message).to.include('enable_experimental_api');
    } finally {
      await off.stop();
    }
    const on = await startTestService('[DEFAULT]\nenable_experimental_api = true\n');
    try {
      expect((await on.call('POST', '/v3/workers/cleanup', { body: {}, version: '3.24' })).status).to.equal(202);
    } finally {
      await on.stop();
    }
  });

  it('marks the route experimental in the committed OpenAPI document, with its 404', async () => {
    const doc = parse(await readFile(new URL('../../../docs/api/openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, any>> };
    const op = doc.paths['/v3/{project_id}/workers/cleanup']!.post;
    expect(op['x-openstack'].experimental).to.equal(true);
    expect(op.description).to.include('enable_experimental_api = true');
    expect(op.responses['404']['x-ashlar-error-codes']).to.include('NOT_FOUND');
  });
});

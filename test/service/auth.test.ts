import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { forEachDatabase, startTestService } from './helpers.js';

forEachDatabase('service auth: http_basic with an htpasswd file', (database) => {
  it('accepts bcrypt credentials, maps users to projects, and refuses the rest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-auth-'));
    const file = path.join(dir, 'htpasswd');
    await writeFile(file, `carol:${bcrypt.hashSync('s3cret', 4).replace(/^\$2a\$/, '$2y$')}\nadmin:${bcrypt.hashSync('root', 4)}\n`);
    const t = await startTestService(`[DEFAULT]\nauth_strategy = http_basic\nhttp_basic_auth_user_file = ${file}\nhttp_basic_project_map = carol:proj42\n`, { database });
    const basic = (user: string, pw: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
    try {
      const ok = await t.call('POST', '/v3/proj42/volumes', { headers: basic('carol', 's3cret'), body: { volume: { size: 1 } } });
      expect(ok.status).to.equal(202);
      expect(ok.body.volume['os-vol-tenant-attr:tenant_id']).to.equal('proj42');
      expect((await t.call('GET', '/v3/volumes', { headers: basic('carol', 'wrong') })).status).to.equal(401);
      expect((await t.call('POST', '/v3/types', { headers: basic('carol', 's3cret'), body: { volume_type: { name: 't' } } })).status).to.equal(403);
      expect((await t.call('POST', '/v3/types', { headers: basic('admin', 'root'), body: { volume_type: { name: 't' } } })).status).to.equal(200);
      const noCreds = await fetch(`${t.url}/v3/volumes`, { headers: { 'X-Auth-Token': 'admin:admin' } });
      expect(noCreds.status).to.equal(401);
      expect(((await noCreds.json()) as { unauthorized: { code: number } }).unauthorized.code).to.equal(401);
    } finally {
      await t.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

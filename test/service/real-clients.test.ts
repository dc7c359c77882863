import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { forEachDatabase, requireOrSkip, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PROJECT = '0a1b2c3d4e5f';

async function hasModule(mod: string): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  try {
    await run(PYTHON, ['-c', `import ${mod}`]);
    return true;
  } catch {
    return false;
  }
}

/** Drives the running service with the real python-cinderclient and openstacksdk (Debian packages). */
// Over SQLite and one server database, as client-flows.test.ts.
forEachDatabase('real OpenStack clients against the service', function (database) {
  this.timeout(120_000);
  let t: TestService;
  let haveCinder = false;
  let haveSdk = false;

  before(async () => {
    haveCinder = await hasModule('cinderclient');
    haveSdk = await hasModule('openstack');
    t = await startTestService('', { database });
  });
  after(async () => t?.stop());

  const cinder = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(PYTHON, ['-m', 'cinderclient.shell', '--os-auth-type', 'noauth', '--os-user-id', 'admin', '--os-project-id', PROJECT, '--os-endpoint', `${t.url}/v3`, '--os-volume-api-version', '3.70', ...args], { timeout: 60_000 });
    return stdout;
  };
  /** Reads one field from cinderclient's property table. */
  const field = (table: string, name: string): string => {
    const line = table.split('\n').find((l) => l.split('|')[1]?.trim() === name);
    if (!line) throw new Error(`no ${name} in\n${table}`);
    return line.split('|')[2]!.trim();
  };
  const waitStatus = async (kind: 'show' | 'snapshot-show', id: string, want: string): Promise<string> => {
    for (let i = 0; i < 100; i++) {
      const out = await cinder(kind, id);
      const status = field(out, 'status');
      if (status === want) return out;
      if (status.startsWith('error')) throw new Error(`${id} went to ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${id} never became ${want}`);
  };

  it('cinderclient: create, list, show, extend, snapshot, volume from snapshot, clone, type with extra specs, quota show, delete', async function () {
    requireOrSkip(this, haveCinder, 'python3-cinderclient (/usr/bin/python3 -m cinderclient.shell)');
    const created = await cinder('create', '--name', 'cc-vol', '1');
    const id = field(created, 'id');
    expect(field(created, 'name')).to.equal('cc-vol');
    await waitStatus('show', id, 'available');
    expect(await cinder('list')).to.contain(id);

    await cinder('extend', id, '2');
    expect(field(await waitStatus('show', id, 'available'), 'size')).to.equal('2');

    const snap = field(await cinder('snapshot-create', '--name', 'cc-snap', id), 'id');
    await waitStatus('snapshot-show', snap, 'available');
    const fromSnap = field(await cinder('create', '--snapshot-id', snap, '--name', 'cc-from-snap', '2'), 'id');
    const clone = field(await cinder('create', '--source-volid', id, '--name', 'cc-clone', '2'), 'id');
    expect(field(await waitStatus('show', fromSnap, 'available'), 'snapshot_id')).to.equal(snap);
    expect(field(await waitStatus('show', clone, 'available'), 'source_volid')).to.equal(id);

    expect(await cinder('type-create', 'cc-gold')).to.contain('cc-gold');
    await cinder('type-key', 'cc-gold', 'set', 'volume_backend_name=file', 'ashlar:tier=gold');
    const specs = await cinder('extra-specs-list');
    expect(specs).to.match(/cc-gold.*'ashlar:tier': 'gold'/);
    const typed = field(await cinder('create', '--volume-type', 'cc-gold', '--name', 'cc-typed', '1'), 'id');
    expect(field(await waitStatus('show', typed, 'available'), 'volume_type')).to.equal('cc-gold');

    const quota = await cinder('quota-show', PROJECT);
    expect(field(quota, 'volumes')).to.equal('10');
    expect(field(await cinder('quota-usage', PROJECT), 'volumes')).to.equal('4');

    await cinder('delete', fromSnap, clone, typed);
    await cinder('snapshot-delete', snap);
    for (let i = 0; i < 100 && (await cinder('snapshot-list')).includes(snap); i++) await new Promise((r) => setTimeout(r, 100));
    await cinder('delete', id);
    for (let i = 0; i < 100 && (await cinder('list')).includes(id); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await cinder('list')).to.not.contain(id);
  });

  it('cinderclient: a missing volume is a clean error naming it', async function () {
    requireOrSkip(this, haveCinder, 'python3-cinderclient');
    const err = await cinder('show', '00000000-0000-0000-0000-000000000000').catch((e: { stderr: string }) => e.stderr);
    expect(err).to.match(/No volume with a name or ID of '00000000-0000-0000-0000-000000000000' exists/);
  });

  it('openstacksdk: discovers the block-storage version from the root URL', async function () {
    requireOrSkip(this, haveSdk, 'python3-openstacksdk');
    const script = [
      'import json, openstack',
      'from keystoneauth1 import session, noauth',
      'from keystoneauth1 import discover',
      `s = session.Session(auth=noauth.NoAuth())`,
      `d = discover.Discover(s, '${t.url}/')`,
      'fmt = lambda t: "%d.%d" % tuple(t) if t else None',
      'print(json.dumps([{"version": fmt(v["version"]), "max": fmt(v["max_microversion"]), "min": fmt(v["min_microversion"]), "status": v["status"]} for v in d.version_data()]))',
    ].join('\n');
    const { stdout } = await run(PYTHON, ['-c', script], { timeout: 60_000 });
    expect(JSON.parse(stdout)).to.deep.equal([{ version: '3.0', max: '3.70', min: '3.0', status: 'CURRENT' }]);
  });

  it('openstacksdk: lists volumes through the block-storage proxy', async function () {
    requireOrSkip(this, haveSdk, 'python3-openstacksdk');
    const script = [
      'import openstack',
      `conn = openstack.connect(auth_type="admin_token", auth={"token": "admin:${PROJECT}", "endpoint": "${t.url}/v3/${PROJECT}"}, block_storage_api_version="3", identity_interface="public")`,
      'v = conn.block_storage.create_volume(size=1, name="sdk-vol")',
      'conn.block_storage.wait_for_status(v, status="available", interval=0.1, wait=30)',
      'print(",".join(sorted(x.name for x in conn.block_storage.volumes() if x.name)))',
    ].join('\n');
    const { stdout } = await run(PYTHON, ['-c', script], { timeout: 60_000 });
    expect(stdout.trim().split(',')).to.include('sdk-vol');
  });
}, ['sqlite', 'mariadb']);

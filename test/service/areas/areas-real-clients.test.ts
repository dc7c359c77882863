import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ClientRunner } from '../client-runner.js';
import { forEachDatabase, requireOrSkip, startTestService, type TestService } from '../helpers.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const P = '0a1b2c3d4e5f';
const Q = 'fedcba987654';

async function hasModule(mod: string): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  return run(PYTHON, ['-c', `import ${mod}`]).then(() => true, () => false);
}

/**
 * QoS specs, group types, groups and transfers driven by the real python-cinderclient and
 * openstackclient (Debian packages). Over SQLite only: the API suites beside it cover the
 * databases, this one covers the clients' request shapes.
 */
forEachDatabase('real clients: QoS, groups, transfers', function (database) {
  this.timeout(600_000);
  let t: TestService;
  let have = { cinder: false, osc: false };
  let runner: ClientRunner | undefined;
  before(async () => {
    have = { cinder: await hasModule('cinderclient'), osc: await hasModule('openstackclient') };
    t = await startTestService('', { database });
    // One Python process forks each command, so a command does not pay Python's start-up.
    if (have.cinder || have.osc) runner = new ClientRunner();
  });
  after(async () => {
    runner?.close();
    await t?.stop();
  });

  const ok = async (client: 'cinder' | 'openstack', argv: string[]): Promise<string> => {
    const r = await runner!.run(client, argv);
    if (r.rc !== 0) throw new Error(`${client} ${argv.slice(-4).join(' ')} failed (${r.rc}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const cinder = (user: string, project: string, ...args: string[]): Promise<string> =>
    ok('cinder', ['--os-auth-type', 'noauth', '--os-user-id', user, '--os-project-id', project, '--os-endpoint', `${t.url}/v3`, '--os-volume-api-version', '3.70', ...args]);
  const openstack = (...args: string[]): Promise<string> =>
    ok('openstack', ['--os-auth-type', 'admin_token', '--os-token', `admin:${P}`, '--os-endpoint', `${t.url}/v3/${P}`, '--os-volume-api-version', '3.70', ...args]);
  /** A column of the first data row of a cinderclient list table. */
  const column = (table: string, name: string): string => {
    const rows = table.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    const i = rows[0]!.indexOf(name);
    if (i < 0 || rows.length < 2) throw new Error(`no ${name} in\n${table}`);
    return rows[1]![i]!;
  };
  /** Reads one field from cinderclient's property table. */
  const field = (table: string, name: string): string => {
    const line = table.split('\n').find((l) => l.split('|')[1]?.trim() === name);
    if (!line) throw new Error(`no ${name} in\n${table}`);
    return line.split('|')[2]!.trim();
  };

  it('cinder: qos-create, qos-key, qos-associate, qos-get-association, qos-disassociate-all, qos-delete', async function () {
    requireOrSkip(this, have.cinder, 'python3-cinderclient');
    const qos = field(await cinder('admin', P, 'qos-create', 'cc-qos', 'consumer=front-end', 'read_iops_sec=2000'), 'id');
    await cinder('admin', P, 'qos-key', qos, 'set', 'iops_bytes=500');
    expect(await cinder('admin', P, 'qos-show', qos)).to.contain('iops_bytes').and.contain('read_iops_sec');
    const type = column(await cinder('admin', P, 'type-create', 'cc-qos-type'), 'ID');
    await cinder('admin', P, 'qos-associate', qos, type);
    expect(await cinder('admin', P, 'qos-get-association', qos)).to.contain(type);
    await cinder('admin', P, 'qos-disassociate-all', qos);
    expect(await cinder('admin', P, 'qos-get-association', qos)).to.not.contain(type);
    await cinder('admin', P, 'qos-delete', qos);
    expect(await cinder('admin', P, 'qos-list')).to.not.contain(qos);
  });

  it('cinder: group-type-create, group-create, create --group-id, group-snapshot-create, group-delete --delete-volumes', async function () {
    requireOrSkip(this, have.cinder, 'python3-cinderclient');
    const gtype = column(await cinder('admin', P, 'group-type-create', 'cc-gtype'), 'ID');
    await cinder('admin', P, 'group-type-key', gtype, 'set', 'consistent_group_snapshot_enabled=<is> False');
    expect(await cinder('admin', P, 'group-specs-list')).to.contain('consistent_group_snapshot_enabled');
    const vtype = column(await cinder('admin', P, 'type-create', 'cc-gvtype'), 'ID');
    const group = field(await cinder('admin', P, 'group-create', '--name', 'cc-group', gtype, vtype), 'id');
    const vol = field(await cinder('admin', P, 'create', '--volume-type', vtype, '--group-id', group, '1'), 'id');
    for (let i = 0; i < 200 && field(await cinder('admin', P, 'show', vol), 'status') !== 'available'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(field(await cinder('admin', P, 'show', vol), 'group_id')).to.equal(group);
    const gsnap = field(await cinder('admin', P, 'group-snapshot-create', '--name', 'cc-gsnap', group), 'id');
    for (let i = 0; i < 200 && field(await cinder('admin', P, 'group-snapshot-show', gsnap), 'status') !== 'available'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(field(await cinder('admin', P, 'group-snapshot-show', gsnap), 'status')).to.equal('available');
    await cinder('admin', P, 'group-snapshot-delete', gsnap);
    for (let i = 0; i < 200 && (await cinder('admin', P, 'group-snapshot-list')).includes(gsnap); i++) await new Promise((r) => setTimeout(r, 100));
    await cinder('admin', P, 'group-delete', '--delete-volumes', group);
    for (let i = 0; i < 200 && (await cinder('admin', P, 'group-list')).includes(group); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await cinder('admin', P, 'group-list')).to.not.contain(group);
  });

  it('cinder: transfer-create in one project, transfer-accept in another', async function () {
    requireOrSkip(this, have.cinder, 'python3-cinderclient');
    const vol = field(await cinder('gina', P, 'create', '1'), 'id');
    for (let i = 0; i < 200 && field(await cinder('gina', P, 'show', vol), 'status') !== 'available'; i++) await new Promise((r) => setTimeout(r, 100));
    const created = await cinder('gina', P, 'transfer-create', '--name', 'cc-gift', vol);
    const [id, key] = [field(created, 'id'), field(created, 'auth_key')];
    expect(await cinder('gina', P, 'transfer-list')).to.contain(id);
    expect(field(await cinder('tom', Q, 'transfer-accept', id, key), 'volume_id')).to.equal(vol);
    expect(field(await cinder('tom', Q, 'show', vol), 'os-vol-tenant-attr:tenant_id')).to.equal(Q);
  });

  it('openstack: volume qos create/set/associate/show and volume transfer request create/list/delete', async function () {
    requireOrSkip(this, have.osc, 'python3-openstackclient');
    const qos = JSON.parse(await openstack('volume', 'qos', 'create', '--consumer', 'back-end', '--property', 'total_iops_sec=100', 'osc-qos', '-f', 'json')) as { id: string };
    await openstack('volume', 'qos', 'set', '--property', 'iops_bytes=500', qos.id);
    await openstack('volume', 'type', 'create', 'osc-qos-type');
    await openstack('volume', 'qos', 'associate', qos.id, 'osc-qos-type');
    const shown = JSON.parse(await openstack('volume', 'qos', 'show', qos.id, '-f', 'json')) as { associations: unknown; properties: unknown };
    expect(JSON.stringify(shown.associations)).to.contain('osc-qos-type');
    expect(JSON.stringify(shown.properties)).to.contain('iops_bytes');
    await openstack('volume', 'qos', 'delete', '--force', qos.id);

    const vol = JSON.parse(await openstack('volume', 'create', '--size', '1', 'osc-gift', '-f', 'json')) as { id: string };
    for (let i = 0; i < 200 && (await t.call('GET', `/v3/${P}/volumes/${vol.id}`, { token: `admin:${P}` })).body.volume.status !== 'available'; i++) await new Promise((r) => setTimeout(r, 100));
    const req = JSON.parse(await openstack('volume', 'transfer', 'request', 'create', '--name', 'osc-tr', vol.id, '-f', 'json')) as { id: string; auth_key: string };
    expect(req.auth_key).to.match(/^[0-9a-f]{16}$/);
    expect(await openstack('volume', 'transfer', 'request', 'list', '-f', 'json')).to.contain(req.id);
    await openstack('volume', 'transfer', 'request', 'delete', req.id);
    expect((await t.call('GET', `/v3/${P}/volumes/${vol.id}`, { token: `admin:${P}` })).body.volume.status).to.equal('available');
  });
}, ['sqlite']);

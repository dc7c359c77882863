import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ClientRunner, type Result } from './client-runner.js';
import { forEachDatabase, requireOrSkip, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
/** The admin's project (admin by user name) and a member's. */
const P = '0a1b2c3d4e5f';
const Q = 'fedcba987654';
const ADMIN = `admin:${P}`;
const HOST = 'flowhost';
const INSTANCE = '11111111-2222-3333-4444-555555555555';
const NO_ID = '00000000-0000-0000-0000-000000000000';
/** Environment without OS_* variables, so nothing but the argv configures the clients. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));

async function hasModule(mod: string): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  return run(PYTHON, ['-c', `import ${mod}`], { env: ENV }).then(
    () => true,
    () => false,
  );
}

/** A value from a cinderclient property table (`| name | value |`). */
function field(table: string, name: string): string {
  const line = table.split('\n').find((l) => l.split('|')[1]?.trim() === name);
  if (!line) throw new Error(`no ${name} in\n${table}`);
  return line.split('|')[2]!.trim();
}

/** The first column of a cinderclient list table's data rows. */
function ids(table: string): string[] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(1)
    .map((l) => l.split('|')[1]!.trim());
}

// Over SQLite and one server database only: this is the slowest suite (python clients
// start for every command), and every query it causes also runs in the API suites, which
// go over all three databases.
forEachDatabase('client flows: real OpenStack clients drive ashlar serve', function (database) {
  this.timeout(180_000);
  let t: TestService;
  let runner: ClientRunner | undefined;
  const have = { cinder: false, osc: false, sdk: false };

  before(async function () {
    this.timeout(60_000);
    [have.cinder, have.osc, have.sdk] = await Promise.all([hasModule('cinderclient'), hasModule('openstackclient'), hasModule('openstack')]);
    // Two backends, so migration has somewhere to go; volume types pin volumes to one.
    t = await startTestService(
      `[DEFAULT]\nhost = ${HOST}\nenabled_backends = file, file2\n# work-cleanup (POST /workers/cleanup) is experimental: opted in, as an operator would.\nenable_experimental_api = true\n[quota]\nvolumes = 100\nsnapshots = 100\n[backend_defaults]\nvolume_driver = file\nreflink = never\n[file]\ndirectory = {state}/file\n[file2]\ndirectory = {state}/file2\n`,
      { database },
    );
    if (have.cinder || have.osc) runner = new ClientRunner();
  });
  after(async () => {
    runner?.close();
    await t?.stop();
  });

  const need = (ctx: Mocha.Context, ...what: (keyof typeof have)[]) => {
    for (const w of what) requireOrSkip(ctx, have[w], { cinder: 'python3-cinderclient', osc: 'python3-openstackclient', sdk: 'python3-openstacksdk' }[w]);
  };

  /** openstack with an admin token of project P (or `as`), at a volume microversion (none: the client's default). */
  const osc = (args: string[], opts: { version?: string | null; as?: string } = {}): Promise<Result> => {
    const [user, project] = (opts.as ?? `admin:${P}`).split(':') as [string, string];
    const version = opts.version === undefined ? '3.65' : opts.version;
    return runner!.run('openstack', ['--os-auth-type', 'admin_token', '--os-token', `${user}:${project}`, '--os-endpoint', `${t.url}/v3/${project}`, ...(version ? ['--os-volume-api-version', version] : []), ...args]);
  };
  /** cinder with noauth as admin of project P (or `as`) at 3.70 (or `version`). */
  const cinder = (args: string[], opts: { version?: string; as?: string } = {}): Promise<Result> => {
    const [user, project] = (opts.as ?? `admin:${P}`).split(':') as [string, string];
    return runner!.run('cinder', ['--os-auth-type', 'noauth', '--os-user-id', user, '--os-project-id', project, '--os-endpoint', `${t.url}/v3`, '--os-volume-api-version', opts.version ?? '3.70', ...args]);
  };
  const ok = async (p: Promise<Result>): Promise<string> => {
    const r = await p;
    if (r.rc !== 0) throw new Error(`client failed (${r.rc}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** The stderr of a command that must fail. */
  const fails = async (p: Promise<Result>): Promise<string> => {
    const r = await p;
    if (r.rc === 0) throw new Error(`client unexpectedly succeeded: ${r.stdout}`);
    return r.stderr + r.stdout;
  };
  const oscJson = async (args: string[], opts: { version?: string | null; as?: string } = {}): Promise<any> => JSON.parse(await ok(osc([...args, '-f', 'json'], opts)));
  const volumeReady = (id: string, status = 'available', project = P) => t.waitFor(`/v3/${project}/volumes/${id}`, 'volume', [status, 'error'], `admin:${project}`);
  const snapshotReady = (id: string) => t.waitFor(`/v3/${P}/snapshots/${id}`, 'snapshot', ['available', 'error'], ADMIN);
  const gone = (kind: 'volumes' | 'snapshots', id: string) => t.waitFor(`/v3/${P}/${kind}/${id}`, kind === 'volumes' ? 'volume' : 'snapshot', ['deleted'], ADMIN);
  /** A volume of `size` GiB through the API, pinned to backend `file`, available. */
  const apiVolume = async (name: string, extra: Record<string, unknown> = {}, project = P): Promise<string> => {
    const r = await t.call('POST', `/v3/${project}/volumes`, { token: `admin:${project}`, body: { volume: { size: 1, name, volume_type: 'on-file', ...extra } } });
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    expect((await volumeReady(r.body.volume.id, 'available', project)).status).to.equal('available');
    return r.body.volume.id as string;
  };

  before(async () => {
    // A type pinned to backend `file`, used by flows that need a known host.
    const r = await t.call('POST', '/v3/types', { body: { volume_type: { name: 'on-file', extra_specs: { volume_backend_name: 'file' } } } });
    expect(r.status).to.equal(200);
  });

  // ---- the installed entry points themselves --------------------------------------------

  it('the installed `openstack` and `cinder` entry points run against the service (execFile)', async function () {
    need(this, 'cinder', 'osc');
    const { stdout: versions } = await run(PYTHON, ['-m', 'cinderclient.shell', '--os-auth-type', 'noauth', '--os-user-id', 'admin', '--os-project-id', P, '--os-endpoint', `${t.url}/v3`, '--os-volume-api-version', '3.70', 'version-list'], { env: ENV, timeout: 60_000 });
    expect(versions).to.match(/v3\.0\s+\|\s+CURRENT\s+\|\s+2023-03-01T00:00:00Z\s+\|\s+3\.0\s+\|\s+3\.70/);
    const { stdout: zones } = await run('/usr/bin/openstack', ['--os-auth-type', 'admin_token', '--os-token', `admin:${P}`, '--os-endpoint', `${t.url}/v3/${P}`, '--os-volume-api-version', '3.65', 'availability', 'zone', 'list', '--volume', '-f', 'json'], { env: ENV, timeout: 60_000 });
    expect(JSON.parse(zones)).to.deep.equal([{ 'Zone Name': 'nova', 'Zone Status': 'available' }]);
  });

  // ---- python-openstackclient --------------------------------------------------------------

  it('openstack volume create (size, description, property, zone, bootable); show by id and name; list filters and paging', async function () {
    need(this, 'osc');
    const v = await oscJson(['volume', 'create', '--size', '1', '--type', 'on-file', '--description', 'first', '--property', 'tier=gold', '--availability-zone', 'nova', '--bootable', 'osc-a']);
    expect(v).to.include({ name: 'osc-a', description: 'first', size: 1, type: 'on-file', availability_zone: 'nova' });
    expect(v.properties).to.deep.equal({ tier: 'gold' });
    await volumeReady(v.id);
    const b = await oscJson(['volume', 'create', '--size', '2', 'osc-b']);
    await volumeReady(b.id);
    const byName = await oscJson(['volume', 'show', 'osc-a']);
    expect(byName).to.include({ id: v.id, status: 'available', bootable: 'true', consumes_quota: true, 'os-vol-host-attr:host': `${HOST}@file#file` });
    expect((await oscJson(['volume', 'show', v.id])).name).to.equal('osc-a');

    const long = await oscJson(['volume', 'list', '--long']);
    expect(long.find((x: any) => x.ID === v.id)).to.include({ Name: 'osc-a', Type: 'on-file', Bootable: 'true' });
    expect((await oscJson(['volume', 'list', '--name', 'osc-b'])).map((x: any) => x.ID)).to.deep.equal([b.id]);
    expect((await oscJson(['volume', 'list', '--status', 'available'])).map((x: any) => x.ID)).to.include.members([v.id, b.id]);
    const first = await oscJson(['volume', 'list', '--limit', '1']);
    expect(first).to.have.length(1);
    const second = await oscJson(['volume', 'list', '--limit', '1', '--marker', first[0].ID]);
    expect(second).to.have.length(1);
    expect(second[0].ID).to.not.equal(first[0].ID);

    // --all-projects: the admin sees a member's volume; the member does not see the admin's.
    const theirs = await apiVolume('osc-member', {}, Q);
    expect((await oscJson(['volume', 'list', '--all-projects'])).map((x: any) => x.ID)).to.include(theirs);
    const memberList = await oscJson(['volume', 'list'], { as: `alice:${Q}` });
    expect(memberList.map((x: any) => x.ID)).to.deep.equal([theirs]);
    // --project is resolved through the identity endpoint, which is this service.
    expect((await oscJson(['volume', 'list', '--project', Q])).map((x: any) => x.ID)).to.deep.equal([theirs]);
    expect(await fails(osc(['volume', 'show', 'no-such-volume']))).to.contain("No volume with a name or ID of 'no-such-volume' exists.");
  });

  it('openstack volume create --snapshot and --source; volume snapshot create/list/show/set/unset/delete', async function () {
    need(this, 'osc');
    const src = await apiVolume('osc-src');
    const s = await oscJson(['volume', 'snapshot', 'create', '--volume', 'osc-src', '--description', 'snap one', '--property', 'k=v', 'osc-snap']);
    expect(s).to.include({ name: 'osc-snap', volume_id: src, size: 1 });
    await snapshotReady(s.id);
    expect((await oscJson(['volume', 'snapshot', 'list'])).map((x: any) => x.Name)).to.include('osc-snap');
    const long = await oscJson(['volume', 'snapshot', 'list', '--long', '--volume', 'osc-src']);
    expect(long).to.have.length(1);
    // -f json shows the volume id (the table shows its name).
    expect(long[0]).to.include({ Name: 'osc-snap', Volume: src, Status: 'available' });
    await ok(osc(['volume', 'snapshot', 'set', '--name', 'osc-snap2', '--description', 'renamed', '--property', 'k2=v2', 'osc-snap']));
    await ok(osc(['volume', 'snapshot', 'unset', '--property', 'k', 'osc-snap2']));
    const shown = await oscJson(['volume', 'snapshot', 'show', 'osc-snap2']);
    expect(shown).to.include({ id: s.id, description: 'renamed', status: 'available' });
    expect(shown.properties).to.deep.equal({ k2: 'v2' });
    await ok(osc(['volume', 'snapshot', 'set', '--state', 'error', 'osc-snap2']));
    expect((await oscJson(['volume', 'snapshot', 'list', '--status', 'error'])).map((x: any) => x.ID)).to.deep.equal([s.id]);
    await ok(osc(['volume', 'snapshot', 'set', '--state', 'available', 'osc-snap2']));

    const fromSnap = await oscJson(['volume', 'create', '--snapshot', 'osc-snap2', '--size', '2', 'osc-from-snap']);
    const clone = await oscJson(['volume', 'create', '--source', 'osc-src', 'osc-clone']);
    expect((await volumeReady(fromSnap.id)).snapshot_id).to.equal(s.id);
    expect((await volumeReady(clone.id)).source_volid).to.equal(src);
    expect((await oscJson(['volume', 'show', 'osc-from-snap'])).size).to.equal(2);

    await ok(osc(['volume', 'delete', 'osc-from-snap', 'osc-clone']));
    await ok(osc(['volume', 'snapshot', 'delete', 'osc-snap2']));
    await gone('snapshots', s.id);
    await Promise.all([gone('volumes', fromSnap.id), gone('volumes', clone.id)]);
  });

  it('openstack volume set/unset: name, description, properties, size (extend), state (reset), bootable, read-only, image properties', async function () {
    need(this, 'osc');
    const id = await apiVolume('osc-set');
    await ok(osc(['volume', 'set', '--name', 'osc-set2', '--description', 'changed', '--property', 'a=1', '--property', 'b=2', '--image-property', 'os_distro=debian', 'osc-set']));
    await ok(osc(['volume', 'unset', '--property', 'a', 'osc-set2']));
    let v = await oscJson(['volume', 'show', id]);
    expect(v).to.include({ name: 'osc-set2', description: 'changed' });
    expect(v.properties).to.deep.equal({ b: '2' });
    expect(v.volume_image_metadata).to.deep.equal({ os_distro: 'debian' });
    await ok(osc(['volume', 'unset', '--image-property', 'os_distro', id]));
    expect((await oscJson(['volume', 'show', id])).volume_image_metadata).to.equal(undefined);

    await ok(osc(['volume', 'set', '--size', '3', id]));
    expect((await volumeReady(id)).size).to.equal(3);
    await ok(osc(['volume', 'set', '--bootable', '--read-only', id]));
    expect((await oscJson(['volume', 'show', id])).bootable).to.equal('true');
    await ok(osc(['volume', 'set', '--non-bootable', '--read-write', id]));
    expect((await oscJson(['volume', 'show', id])).bootable).to.equal('false');
    await ok(osc(['volume', 'set', '--state', 'error', id]));
    expect((await oscJson(['volume', 'show', id])).status).to.equal('error');
    await ok(osc(['volume', 'set', '--state', 'available', id]));
    expect((await oscJson(['volume', 'show', id])).status).to.equal('available');
  });

  it('openstack volume set --type (retype) and volume migrate: in-place retypes work, the rest are refused with Cinder’s errors', async function () {
    need(this, 'osc');
    await ok(osc(['volume', 'type', 'create', '--property', 'volume_backend_name=file', 'osc-also-file']));
    await ok(osc(['volume', 'type', 'create', '--property', 'volume_backend_name=file2', 'osc-on-file2']));
    const id = await apiVolume('osc-retype');
    // Same extra specs: nothing for the backend to do, the type changes.
    await ok(osc(['volume', 'set', '--type', 'osc-also-file', id]));
    expect((await oscJson(['volume', 'show', id])).type).to.equal('osc-also-file');
    // Another backend: the data would have to move.
    expect(await fails(osc(['volume', 'set', '--type', 'osc-on-file2', id]))).to.contain('Retype requires migration but is not allowed.');
    expect(await fails(osc(['volume', 'set', '--type', 'osc-on-file2', '--retype-policy', 'on-demand', id]))).to.contain('this service cannot migrate volumes between backends');
    expect(await fails(osc(['volume', 'set', '--type', 'no-such-type', id]))).to.match(/No volumetype with a name or ID of 'no-such-type' exists|Invalid volume_type passed/);
    expect((await oscJson(['volume', 'show', id])).type).to.equal('osc-also-file');

    expect(await fails(osc(['volume', 'migrate', '--host', `${HOST}@file#file`, id]))).to.contain('destination host/cluster must be different than the current one');
    expect(await fails(osc(['volume', 'migrate', '--host', 'elsewhere@x#y', id]))).to.contain("No available service named 'elsewhere@x#y'");
    expect(await fails(osc(['volume', 'migrate', '--host', `${HOST}@file2#file2`, id]))).to.contain('needs backend-assisted migration, which driver file does not offer');
  });

  it('openstack volume delete: one, several, --force, --purge, and a clean error for a missing one', async function () {
    need(this, 'osc');
    const [a, b, c, d] = await Promise.all(['osc-d1', 'osc-d2', 'osc-d3', 'osc-d4'].map((n) => apiVolume(n)));
    const snap = await t.call('POST', `/v3/${P}/snapshots`, { token: ADMIN, body: { snapshot: { volume_id: d, name: 'osc-d4-snap' } } });
    await snapshotReady(snap.body.snapshot.id);
    await ok(osc(['volume', 'delete', 'osc-d1']));
    await ok(osc(['volume', 'delete', 'osc-d2', c]));
    await Promise.all([gone('volumes', a!), gone('volumes', b!), gone('volumes', c!)]);
    expect(await fails(osc(['volume', 'delete', 'osc-d4']))).to.contain('still has 1 dependent snapshots');
    await ok(osc(['volume', 'delete', '--purge', 'osc-d4']));
    await gone('volumes', d!);
    const e = await apiVolume('osc-d5');
    await ok(osc(['volume', 'set', '--state', 'error_deleting', e]));
    await ok(osc(['volume', 'delete', '--force', e]));
    await gone('volumes', e);
    expect(await fails(osc(['volume', 'delete', 'osc-nope']))).to.contain("No volume with a name or ID of 'osc-nope' exists.");
  });

  it('openstack volume type create/list/show/set/unset/delete with properties, privacy and project access', async function () {
    need(this, 'osc');
    const gold = await oscJson(['volume', 'type', 'create', '--property', 'volume_backend_name=file', '--property', 'ashlar:tier=gold', '--description', 'fast', 'osc-gold']);
    expect(gold).to.include({ name: 'osc-gold', description: 'fast', is_public: true });
    expect(gold.properties).to.deep.equal({ volume_backend_name: 'file', 'ashlar:tier': 'gold' });
    const priv = await oscJson(['volume', 'type', 'create', '--private', '--project', Q, 'osc-private']);
    expect(priv.is_public).to.equal(false);
    const long = await oscJson(['volume', 'type', 'list', '--long']);
    expect(long.find((x: any) => x.Name === 'osc-gold')).to.deep.include({ Description: 'fast', 'Is Public': true });
    expect((await oscJson(['volume', 'type', 'list', '--private'])).map((x: any) => x.Name)).to.deep.equal(['osc-private']);
    expect((await oscJson(['volume', 'type', 'list', '--public'])).map((x: any) => x.Name)).to.include('osc-gold');
    expect((await oscJson(['volume', 'type', 'list', '--default'])).map((x: any) => x.Name)).to.deep.equal(['__DEFAULT__']);

    await ok(osc(['volume', 'type', 'set', '--name', 'osc-gold2', '--description', 'faster', '--property', 'ashlar:extra=1', 'osc-gold']));
    await ok(osc(['volume', 'type', 'unset', '--property', 'ashlar:tier', 'osc-gold2']));
    const shown = await oscJson(['volume', 'type', 'show', 'osc-gold2']);
    expect(shown).to.include({ id: gold.id, description: 'faster' });
    expect(shown.properties).to.deep.equal({ volume_backend_name: 'file', 'ashlar:extra': '1' });

    await ok(osc(['volume', 'type', 'set', '--project', 'abcdef01', 'osc-private']));
    expect((await oscJson(['volume', 'type', 'show', 'osc-private'])).access_project_ids).to.have.members([Q, 'abcdef01']);
    // The member of Q may use the private type; another project may not see it.
    expect((await oscJson(['volume', 'type', 'list'], { as: `alice:${Q}` })).map((x: any) => x.Name)).to.include('osc-private');
    await ok(osc(['volume', 'type', 'unset', '--project', Q, 'osc-private']));
    expect((await oscJson(['volume', 'type', 'show', 'osc-private'])).access_project_ids).to.deep.equal(['abcdef01']);
    expect((await oscJson(['volume', 'type', 'list'], { as: `alice:${Q}` })).map((x: any) => x.Name)).to.not.include('osc-private');

    await ok(osc(['volume', 'type', 'delete', 'osc-gold2', 'osc-private']));
    expect((await oscJson(['volume', 'type', 'list'])).map((x: any) => x.Name)).to.not.include.members(['osc-gold2', 'osc-private']);
  });

  it('openstack quota set/list and quota classes; limits show --absolute', async function () {
    need(this, 'osc');
    const project = 'abc123def456';
    await ok(osc(['quota', 'set', '--volumes', '20', '--gigabytes', '200', '--snapshots', '30', project]));
    const listed = await oscJson(['quota', 'list', '--volume']);
    expect(listed.find((x: any) => x['Project ID'] === project)).to.include({ Volumes: 20, Gigabytes: 200, Snapshots: 30 });
    await ok(osc(['quota', 'set', '--class', '--volumes', '15', 'default']));
    const cls = await oscJson(['quota', 'show', '--class', 'default']);
    expect(cls).to.include({ volumes: 15, project: 'default' });
    // The default class is what projects without their own limits get.
    expect((await t.call('GET', `/v3/${P}/os-quota-sets/beef0001`, { token: ADMIN })).body.quota_set.volumes).to.equal(15);
    await ok(osc(['quota', 'set', '--class', '--volumes', '100', 'default']));

    const limits = await oscJson(['limits', 'show', '--absolute']);
    const volumeLimits = Object.fromEntries(limits.map((x: any) => [x.Name, x.Value]));
    expect(volumeLimits).to.include({ maxTotalVolumes: 100, maxTotalSnapshots: 100, maxTotalVolumeGigabytes: 1000 });
    expect(volumeLimits.totalVolumesUsed).to.be.a('number');
  });

  it('openstack availability zone list, volume service list/set, volume host set (freeze/thaw)', async function () {
    need(this, 'osc');
    expect(await oscJson(['availability', 'zone', 'list', '--volume'])).to.deep.equal([{ 'Zone Name': 'nova', 'Zone Status': 'available' }]);
    const services = await oscJson(['volume', 'service', 'list', '--long']);
    expect(services.map((s: any) => `${s.Binary} ${s.Host} ${s.Status} ${s.State}`)).to.include.members([`cinder-volume ${HOST}@file enabled up`, `cinder-volume ${HOST}@file2 enabled up`, `cinder-scheduler ${HOST} enabled up`]);

    await ok(osc(['volume', 'service', 'set', '--disable', '--disable-reason', 'maintenance', `${HOST}@file2`, 'cinder-volume']));
    let row = (await oscJson(['volume', 'service', 'list', '--long', '--host', `${HOST}@file2`]))[0];
    expect(row).to.include({ Status: 'disabled', 'Disabled Reason': 'maintenance' });
    // A disabled backend gets no new volumes: the scheduler's pools lack it.
    expect((await t.call('GET', '/v3/scheduler-stats/get_pools')).body.pools.map((p: any) => p.name)).to.deep.equal([`${HOST}@file#file`]);
    await ok(osc(['volume', 'service', 'set', '--enable', `${HOST}@file2`, 'cinder-volume']));
    row = (await oscJson(['volume', 'service', 'list', '--long', '--host', `${HOST}@file2`]))[0];
    expect(row).to.include({ Status: 'enabled' });

    await ok(osc(['volume', 'host', 'set', '--disable', `${HOST}@file2`]));
    row = (await oscJson(['volume', 'service', 'list', '--long', '--host', `${HOST}@file2`]))[0];
    expect(row).to.include({ Status: 'disabled', 'Disabled Reason': 'frozen' });
    await ok(osc(['volume', 'host', 'set', '--enable', `${HOST}@file2`]));
    expect((await oscJson(['volume', 'service', 'list', '--host', `${HOST}@file2`]))[0].Status).to.equal('enabled');
  });

  it('openstack volume attachment list/show/set/complete/delete (3.27/3.44), on an attachment cinderclient reserved', async function () {
    need(this, 'osc', 'cinder');
    const id = await apiVolume('osc-att');
    // `openstack volume attachment create` looks the server up in Nova; cinderclient does not.
    const reserved = await ok(cinder(['attachment-create', id, INSTANCE]));
    const att = field(reserved, 'id');
    expect(field(reserved, 'status')).to.equal('reserved');
    expect(await fails(osc(['volume', 'attachment', 'create', id, INSTANCE], { version: '3.54' }))).to.contain(`No server with a name or ID of '${INSTANCE}' exists.`);

    const list = await oscJson(['volume', 'attachment', 'list'], { version: '3.44' });
    expect(list.find((a: any) => a.ID === att)).to.include({ 'Volume ID': id, 'Server ID': INSTANCE, Status: 'reserved' });
    expect(await oscJson(['volume', 'attachment', 'show', att], { version: '3.44' })).to.include({ ID: att, 'Attach Mode': 'rw', Status: 'reserved' });
    const updated = await oscJson(['volume', 'attachment', 'set', '--host', 'compute-1', '--initiator', 'iqn.1994-05.com.redhat:abc', '--ip', '127.0.0.1', att], { version: '3.44' });
    expect(updated.Status).to.equal('attaching');
    expect(updated.Properties).to.include({ driver_volume_type: 'local' });
    await ok(osc(['volume', 'attachment', 'complete', att], { version: '3.44' }));
    const inUse = await oscJson(['volume', 'show', id]);
    expect(inUse.status).to.equal('in-use');
    expect(inUse.attachments[0]).to.include({ attachment_id: att, server_id: INSTANCE, host_name: 'compute-1' });
    expect((await oscJson(['volume', 'attachment', 'list', '--volume-id', id], { version: '3.44' })).map((a: any) => a.Status)).to.deep.equal(['attached']);
    await ok(osc(['volume', 'attachment', 'delete', att], { version: '3.44' }));
    expect((await oscJson(['volume', 'show', id])).status).to.equal('available');
    expect(await fails(osc(['volume', 'attachment', 'complete', att], { version: '3.27' }))).to.contain('--os-volume-api-version 3.44 or greater is required');
  });

  it('openstack volume message list/show/delete after a create no backend can take', async function () {
    need(this, 'osc');
    await ok(osc(['volume', 'type', 'create', '--property', 'volume_backend_name=nowhere', 'osc-nowhere']));
    const v = await oscJson(['volume', 'create', '--size', '1', '--type', 'osc-nowhere', 'osc-unplaceable']);
    expect((await volumeReady(v.id, 'error')).status).to.equal('error');
    const messages = await oscJson(['volume', 'message', 'list'], { version: '3.3' });
    const m = messages.find((x: any) => x['Resource UUID'] === v.id);
    expect(m).to.include({ 'Resource Type': 'VOLUME', 'Event ID': 'VOLUME_VOLUME_001_002', 'Message Level': 'ERROR' });
    expect(m['User Message']).to.contain('Could not find any available weighted backend');
    expect((await oscJson(['volume', 'message', 'show', m.ID], { version: '3.3' })).resource_uuid).to.equal(v.id);
    await ok(osc(['volume', 'message', 'delete', m.ID], { version: '3.3' }));
    expect((await oscJson(['volume', 'message', 'list'], { version: '3.3' })).map((x: any) => x.ID)).to.not.include(m.ID);
    await ok(osc(['volume', 'delete', v.id]));
    await gone('volumes', v.id);
  });

  it('openstack at the default microversion (none given) and at 3.70', async function () {
    need(this, 'osc');
    const v = await oscJson(['volume', 'create', '--size', '1', '--property', 'x=y', 'osc-v30'], { version: null });
    expect(v).to.not.have.property('volume_type_id');
    await volumeReady(v.id);
    const old = await oscJson(['volume', 'show', 'osc-v30'], { version: null });
    expect(old).to.include({ status: 'available', type: '__DEFAULT__' });
    expect(old).to.not.have.property('consumes_quota');
    expect((await oscJson(['volume', 'list', '--long'], { version: null })).map((x: any) => x.Name)).to.include('osc-v30');
    const s = await oscJson(['volume', 'snapshot', 'create', '--volume', 'osc-v30', 'osc-v30-snap'], { version: null });
    await snapshotReady(s.id);
    const latest = await oscJson(['volume', 'show', 'osc-v30'], { version: '3.70' });
    expect(latest).to.include({ consumes_quota: true, shared_targets: null });
    expect(latest.volume_type_id).to.be.a('string');
    await ok(osc(['volume', 'set', '--size', '2', 'osc-v30'], { version: '3.70' }));
    expect((await volumeReady(v.id)).size).to.equal(2);
    await ok(osc(['volume', 'snapshot', 'delete', 'osc-v30-snap'], { version: '3.70' }));
    await gone('snapshots', s.id);
  });

  it('openstack: what this service does not offer fails cleanly (backups, quota show); groups, QoS and transfers list empty', async function () {
    need(this, 'osc');
    await apiVolume('osc-nobackup');
    expect(await oscJson(['volume', 'backup', 'list'])).to.deep.equal([]);
    expect(await fails(osc(['volume', 'backup', 'create', '--name', 'b1', 'osc-nobackup']))).to.contain('Service cinder-backup could not be found. (HTTP 404)');
    expect(await fails(osc(['volume', 'backup', 'show', 'b1']))).to.contain("No volumebackup with a name or ID of 'b1' exists.");
    expect(await oscJson(['volume', 'group', 'list'], { version: '3.20' })).to.deep.equal([]);
    expect(await oscJson(['volume', 'qos', 'list'])).to.deep.equal([]);
    expect(await oscJson(['volume', 'transfer', 'request', 'list'])).to.deep.equal([]);
    // openstackclient's quota show also asks the Network API (at the same endpoint without Keystone): Neutron is not here.
    expect(await fails(osc(['quota', 'show', P]))).to.contain('/v2.0/quotas/');
  });

  // ---- python-cinderclient -----------------------------------------------------------------

  it('cinder rename, metadata set/unset/show/update-all, snapshot-metadata, snapshot-rename', async function () {
    need(this, 'cinder');
    const id = await apiVolume('cc-meta');
    await ok(cinder(['rename', 'cc-meta', 'cc-meta2', '--description', 'renamed']));
    await ok(cinder(['metadata', 'cc-meta2', 'set', 'a=1', 'b=2', 'c=3']));
    await ok(cinder(['metadata', 'cc-meta2', 'unset', 'a']));
    const shown = await ok(cinder(['metadata-show', 'cc-meta2']));
    expect(field(shown, 'b')).to.equal('2');
    expect(shown).to.not.match(/\|\s+a\s+\|/);
    expect(await ok(cinder(['metadata-update-all', id, 'only=this']))).to.match(/\|\s+only\s+\|\s+this\s+\|/);
    const v = await ok(cinder(['show', id]));
    expect(field(v, 'name')).to.equal('cc-meta2');
    expect(field(v, 'description')).to.equal('renamed');
    expect(field(v, 'metadata')).to.equal('only : this');

    const snap = field(await ok(cinder(['snapshot-create', '--name', 'cc-msnap', id])), 'id');
    await snapshotReady(snap);
    await ok(cinder(['snapshot-metadata', 'cc-msnap', 'set', 'k=v', 'k2=v2']));
    await ok(cinder(['snapshot-metadata', 'cc-msnap', 'unset', 'k']));
    expect(field(await ok(cinder(['snapshot-metadata-show', 'cc-msnap'])), 'k2')).to.equal('v2');
    expect(await ok(cinder(['snapshot-metadata-update-all', snap, 'z=1']))).to.contain("{'z': '1'}");
    expect(await ok(cinder(['snapshot-rename', 'cc-msnap', 'cc-msnap2']))).to.contain("Request to rename snapshot 'cc-msnap' has been accepted.");
    expect(field(await ok(cinder(['snapshot-show', snap])), 'name')).to.equal('cc-msnap2');
    await ok(cinder(['snapshot-delete', snap]));
    await gone('snapshots', snap);
  });

  it('cinder list with --filters, --sort, --limit/--marker, --with-count, --all-tenants and summary', async function () {
    need(this, 'cinder');
    const a = await apiVolume('cc-list-a', { metadata: { color: 'red' } });
    const b = await apiVolume('cc-list-b', { size: 2, metadata: { color: 'blue' } });
    const theirs = await apiVolume('cc-list-q', {}, Q);
    expect(ids(await ok(cinder(['list', '--filters', 'name=cc-list-a'])))).to.deep.equal([a]);
    expect(ids(await ok(cinder(['list', '--name', 'cc-list-b', '--status', 'available'])))).to.deep.equal([b]);
    expect(ids(await ok(cinder(['list', '--filters', 'metadata={color:blue}'])))).to.deep.equal([b]);
    expect(ids(await ok(cinder(['list', '--filters', 'name~=cc-list-'])))).to.have.members([a, b]);
    expect(ids(await ok(cinder(['list', '--filters', 'size=2'])))).to.include(b).and.not.include(a);
    expect(ids(await ok(cinder(['list', '--filters', 'created_at=lt:2000-01-01T00:00:00'])))).to.deep.equal([]);
    const sorted = ids(await ok(cinder(['list', '--filters', 'name~=cc-list-', '--sort', 'name:asc'])));
    expect(sorted).to.deep.equal([a, b]);
    expect(ids(await ok(cinder(['list', '--filters', 'name~=cc-list-', '--sort', 'name:desc'])))).to.deep.equal([b, a]);
    const page1 = ids(await ok(cinder(['list', '--filters', 'name~=cc-list-', '--sort', 'name:asc', '--limit', '1'])));
    expect(page1).to.deep.equal([a]);
    expect(ids(await ok(cinder(['list', '--filters', 'name~=cc-list-', '--sort', 'name:asc', '--marker', a, '--limit', '1'])))).to.deep.equal([b]);
    expect(await ok(cinder(['list', '--filters', 'name~=cc-list-', '--with-count']))).to.contain('Volume in total: 2');
    const all = await ok(cinder(['list', '--all-tenants', '--filters', 'name~=cc-list']));
    expect(all).to.contain('Tenant ID');
    expect(ids(all)).to.include.members([a, b, theirs]);
    // A member's --all-tenants is ignored: it sees only its own project.
    expect(ids(await ok(cinder(['list', '--all-tenants'], { as: `alice:${Q}` })))).to.include(theirs).and.not.include(a);

    const summary = await ok(cinder(['summary'], { as: `alice:${Q}` }));
    expect(field(summary, 'total_count')).to.equal(String(ids(await ok(cinder(['list'], { as: `alice:${Q}` }))).length));
    expect(await ok(cinder(['summary', '--all-tenants']))).to.match(/color : \[('red', 'blue'|'blue', 'red')\]/);
  });

  it('cinder reset-state, force-delete, set-bootable, readonly-mode-update (attachments become read-only), extend, revert-to-snapshot', async function () {
    need(this, 'cinder');
    const id = await apiVolume('cc-state');
    await ok(cinder(['reset-state', '--state', 'error', 'cc-state']));
    expect(field(await ok(cinder(['show', id])), 'status')).to.equal('error');
    await ok(cinder(['reset-state', '--state', 'available', '--attach-status', 'detached', 'cc-state']));
    expect(await fails(cinder(['reset-state', '--state', 'error', id], { as: `alice:${P}` }))).to.match(/Policy does not allow .* to be performed|HTTP 403/);
    await ok(cinder(['set-bootable', 'cc-state', 'true']));
    expect(field(await ok(cinder(['show', id])), 'bootable')).to.equal('true');

    await ok(cinder(['readonly-mode-update', 'cc-state', 'true']));
    const ro = await ok(cinder(['attachment-create', '--mode', 'rw', id, INSTANCE]));
    expect(field(ro, 'attach_mode')).to.equal('ro');
    await ok(cinder(['attachment-delete', field(ro, 'id')]));
    await ok(cinder(['readonly-mode-update', 'cc-state', 'false']));
    const rw = await ok(cinder(['attachment-create', id, INSTANCE]));
    expect(field(rw, 'attach_mode')).to.equal('rw');
    // The volume is reserved now; the flag changes only on available volumes.
    expect(await fails(cinder(['readonly-mode-update', 'cc-state', 'true']))).to.contain('status must be available to update readonly flag');
    await ok(cinder(['attachment-delete', field(rw, 'id')]));

    await ok(cinder(['extend', 'cc-state', '2']));
    expect((await volumeReady(id)).size).to.equal(2);
    const snap = field(await ok(cinder(['snapshot-create', '--name', 'cc-state-snap', id])), 'id');
    await snapshotReady(snap);
    await ok(cinder(['revert-to-snapshot', 'cc-state-snap']));
    expect((await volumeReady(id)).status).to.equal('available');
    await ok(cinder(['snapshot-reset-state', '--state', 'error', 'cc-state-snap']));
    expect(field(await ok(cinder(['snapshot-show', snap])), 'status')).to.equal('error');
    await ok(cinder(['snapshot-delete', '--force', snap]));
    await gone('snapshots', snap);
    await ok(cinder(['reset-state', '--state', 'error_deleting', id]));
    await ok(cinder(['force-delete', 'cc-state']));
    await gone('volumes', id);
  });

  it('cinder attachment-create/list/show/update/complete/delete', async function () {
    need(this, 'cinder');
    const id = await apiVolume('cc-att');
    const created = await ok(cinder(['attachment-create', 'cc-att', INSTANCE]));
    const att = field(created, 'id');
    expect(field(created, 'status')).to.equal('reserved');
    expect(field(await ok(cinder(['show', id])), 'status')).to.equal('reserved');
    expect(ids(await ok(cinder(['attachment-list'])))).to.include(att);
    expect(ids(await ok(cinder(['attachment-list', '--volume-id', id, '--status', 'reserved'])))).to.deep.equal([att]);
    expect(field(await ok(cinder(['attachment-show', att])), 'instance')).to.equal(INSTANCE);
    const upd = await ok(cinder(['attachment-update', '--initiator', 'iqn.1993-08.org.debian:01:abc', '--ip', '127.0.0.1', '--host', 'compute-2', att]));
    expect(field(upd, 'status')).to.equal('attaching');
    expect(upd).to.match(/driver_volume_type\s+\|\s+local/);
    await ok(cinder(['attachment-complete', att]));
    expect(field(await ok(cinder(['show', id])), 'attached_servers')).to.equal(`['${INSTANCE}']`);
    expect(field(await ok(cinder(['attachment-show', att])), 'status')).to.equal('attached');
    await ok(cinder(['attachment-delete', att]));
    expect(field(await ok(cinder(['show', id])), 'status')).to.equal('available');
    expect(await fails(cinder(['attachment-show', att]))).to.contain('could not be found');
  });

  it('cinder type-create/key/update/show/default/delete, extra-specs-list, type-access-add/list/remove, default-type-set/list/unset (3.62)', async function () {
    need(this, 'cinder');
    const created = await ok(cinder(['type-create', '--description', 'private one', '--is-public', 'false', 'cc-priv']));
    const typeId = ids(created)[0]!;
    await ok(cinder(['type-key', 'cc-priv', 'set', 'volume_backend_name=file', 'ashlar:tier=silver']));
    await ok(cinder(['type-key', 'cc-priv', 'unset', 'ashlar:tier']));
    expect(await ok(cinder(['extra-specs-list']))).to.match(/cc-priv.*'volume_backend_name': 'file'/);
    await ok(cinder(['type-update', '--name', 'cc-priv2', '--description', 'renamed', typeId]));
    const shown = await ok(cinder(['type-show', 'cc-priv2']));
    expect(field(shown, 'description')).to.equal('renamed');
    expect(field(shown, 'is_public')).to.equal('False');
    expect(ids(await ok(cinder(['type-default'])))).to.have.length(1);

    await ok(cinder(['type-access-add', '--volume-type', typeId, '--project-id', Q]));
    expect(await ok(cinder(['type-access-list', '--volume-type', typeId]))).to.match(new RegExp(`${typeId}\\s+\\|\\s+${Q}`));
    // The member of Q can now create a volume of the private type.
    const r = await t.call('POST', `/v3/${Q}/volumes`, { token: `alice:${Q}`, body: { volume: { size: 1, name: 'cc-priv-vol', volume_type: typeId } } });
    expect(r.status).to.equal(202);
    await volumeReady(r.body.volume.id, 'available', Q);

    await ok(cinder(['default-type-set', 'cc-priv2', Q]));
    expect(await ok(cinder(['default-type-list']))).to.match(new RegExp(`${typeId}\\s+\\|\\s+${Q}`));
    expect(field(await ok(cinder(['default-type-list', '--project-id', Q])), 'volume_type_id')).to.equal(typeId);
    // The member's new volumes get the project's default type.
    const d = await t.call('POST', `/v3/${Q}/volumes`, { token: `alice:${Q}`, body: { volume: { size: 1, name: 'cc-default-typed' } } });
    expect(d.body.volume.volume_type).to.equal('cc-priv2');
    await volumeReady(d.body.volume.id, 'available', Q);
    expect(await ok(cinder(['default-type-unset', Q]))).to.contain(`Default volume type for project ${Q} has been unset successfully.`);
    expect(await fails(cinder(['default-type-list', '--project-id', Q]))).to.contain('(HTTP 404)');
    expect(await fails(cinder(['default-type-set', 'cc-priv2', Q], { version: '3.61' }))).to.match(/not supported|(HTTP 404)|version/i);

    await ok(cinder(['type-access-remove', '--volume-type', typeId, '--project-id', Q]));
    expect(ids(await ok(cinder(['type-access-list', '--volume-type', typeId])))).to.deep.equal([]);
    expect(await fails(cinder(['type-delete', 'cc-priv2']))).to.contain('Target volume type is still in use.');
    for (const v of [r.body.volume.id, d.body.volume.id]) await t.call('DELETE', `/v3/${Q}/volumes/${v}`, { token: `alice:${Q}` });
    await Promise.all([r.body.volume.id, d.body.volume.id].map((v: string) => t.waitFor(`/v3/${Q}/volumes/${v}`, 'volume', ['deleted'], `alice:${Q}`)));
    await ok(cinder(['type-delete', 'cc-priv2']));
    expect(await ok(cinder(['type-list']))).to.not.contain('cc-priv2');
  });

  it('cinder service-list/disable/enable, freeze-host/thaw-host, failover-host, clusters, get-pools, get-capabilities, availability zones, work-cleanup, list-filters, list-extensions', async function () {
    need(this, 'cinder');
    const services = await ok(cinder(['service-list']));
    expect(services).to.match(new RegExp(`cinder-volume\\s+\\|\\s+${HOST}@file\\s+\\|\\s+nova\\s+\\|\\s+enabled\\s+\\|\\s+up`));
    expect(await ok(cinder(['service-list', '--withreplication']))).to.contain('Frozen');
    expect(await ok(cinder(['service-disable', '--reason', 'disk swap', `${HOST}@file2`, 'cinder-volume']))).to.match(/disabled\s+\|\s+disk swap/);
    expect(await ok(cinder(['service-enable', `${HOST}@file2`, 'cinder-volume']))).to.match(/\|\s+enabled\s+\|/);
    await ok(cinder(['freeze-host', `${HOST}@file2`]));
    expect(await fails(cinder(['freeze-host', `${HOST}@file2`]))).to.contain(`frozen in ['${HOST}@file2'] must be False`);
    expect(await ok(cinder(['service-list', '--withreplication', '--host', `${HOST}@file2`]))).to.match(/disabled\s+\|\s+up\s+\|.*True\s+\|\s+frozen/);
    await ok(cinder(['thaw-host', `${HOST}@file2`]));
    expect(await ok(cinder(['service-list', '--host', `${HOST}@file2`]))).to.match(/\|\s+enabled\s+\|/);
    expect(await fails(cinder(['failover-host', `${HOST}@file`]))).to.contain('replication_status');
    expect(await fails(cinder(['service-get-log']))).to.contain('Unknown action');

    expect(ids(await ok(cinder(['cluster-list'])))).to.deep.equal([]);
    expect(await fails(cinder(['cluster-show', 'nocluster']))).to.contain('(HTTP 404)');
    expect(await fails(cinder(['cluster-disable', 'nocluster']))).to.contain('could not be found');

    expect(await ok(cinder(['get-pools']))).to.contain(`${HOST}@file#file`);
    const detail = await ok(cinder(['get-pools', '--detail', '--filters', `name=${HOST}@file#file`]));
    expect(field(detail, 'volume_backend_name')).to.equal('file');
    expect(field(detail, 'storage_protocol')).to.equal('local');
    expect(await ok(cinder(['get-pools', '--filters', 'volume_type=on-file']))).to.contain(`${HOST}@file#file`).and.not.contain('file2#');
    const caps = await ok(cinder(['get-capabilities', `${HOST}@file`]));
    expect(field(caps, 'namespace')).to.equal(`OS::Storage::Capabilities::${HOST}@file`);
    expect(field(caps, 'volume_backend_name')).to.equal('file');
    expect(caps).to.contain('Backend properties');
    expect(await fails(cinder(['get-capabilities', 'nohost@none']))).to.contain("Can't find service: nohost@none");

    expect(await ok(cinder(['availability-zone-list']))).to.match(/nova\s+\|\s+available/);
    expect(await ok(cinder(['work-cleanup']))).to.contain('No cleanable services matched cleanup criteria.');
    expect(await ok(cinder(['list-filters', '--resource', 'volume']))).to.match(/volume\s+\|\s+name, status, metadata/);
    expect(await ok(cinder(['list-extensions']))).to.match(/VolumeActions\s+\|.*\|\s+os-volume-actions/);
  });

  it('cinder message-list/show/delete, quota-show/update/defaults/usage/delete, quota classes, limits, api-version, version-list', async function () {
    need(this, 'cinder');
    await ok(cinder(['type-create', 'cc-nowhere']));
    await ok(cinder(['type-key', 'cc-nowhere', 'set', 'volume_backend_name=nowhere']));
    const id = field(await ok(cinder(['create', '--volume-type', 'cc-nowhere', '--name', 'cc-unplaceable', '1'])), 'id');
    await volumeReady(id, 'error');
    const messages = await ok(cinder(['message-list', '--resource_uuid', id]));
    const m = ids(messages)[0]!;
    expect(messages).to.contain('VOLUME_VOLUME_001_002');
    expect(field(await ok(cinder(['message-show', m])), 'resource_uuid')).to.equal(id);
    await ok(cinder(['message-delete', m]));
    expect(ids(await ok(cinder(['message-list', '--resource_uuid', id])))).to.deep.equal([]);
    await ok(cinder(['delete', id]));

    const project = 'cafe0000beef';
    expect(field(await ok(cinder(['quota-show', project])), 'volumes')).to.equal('100');
    const updated = await ok(cinder(['quota-update', '--volumes', '20', '--gigabytes', '300', '--snapshots', '25', '--per-volume-gigabytes', '50', project]));
    expect([field(updated, 'volumes'), field(updated, 'gigabytes'), field(updated, 'snapshots'), field(updated, 'per_volume_gigabytes')]).to.deep.equal(['20', '300', '25', '50']);
    expect(field(await ok(cinder(['quota-defaults', project])), 'volumes')).to.equal('100');
    expect(await ok(cinder(['quota-usage', P]))).to.match(/volumes\s+\|\s+\d+\s+\|\s+0\s+\|\s+100\s+\|/);
    await ok(cinder(['quota-delete', project]));
    expect(field(await ok(cinder(['quota-show', project])), 'volumes')).to.equal('100');
    expect(await fails(cinder(['quota-update', '--volumes', '5', '--volume-type', 'on-file', project]))).to.contain('per-type quotas are not supported');
    expect(await fails(cinder(['quota-update', '--volumes', '5', project], { as: `alice:${Q}` }))).to.contain('HTTP 403');
    // Over quota: a clean 413.
    await ok(cinder(['quota-update', '--gigabytes', '1', Q]));
    expect(await fails(cinder(['create', '2'], { as: `alice:${Q}` }))).to.match(/Quota exceeded for (gigabytes|per_volume_gigabytes).*\(HTTP 413\)/);
    await ok(cinder(['quota-delete', Q]));

    expect(field(await ok(cinder(['quota-class-update', '--snapshots', '12', 'default'])), 'snapshots')).to.equal('12');
    expect(field(await ok(cinder(['quota-class-show', 'default'])), 'snapshots')).to.equal('12');
    expect(field(await ok(cinder(['quota-defaults', project])), 'snapshots')).to.equal('12');
    await ok(cinder(['quota-class-update', '--snapshots', '100', 'default']));

    const limits = await ok(cinder(['absolute-limits']));
    expect(limits).to.match(/maxTotalVolumes\s+\|\s+100\s/);
    expect(limits).to.match(/totalVolumesUsed\s+\|\s+\d+/);
    expect(ids(await ok(cinder(['rate-limits'])))).to.deep.equal([]);
    expect(await ok(cinder(['api-version']))).to.match(/v3\.0\s+\|\s+CURRENT\s+\|\s+3\.70\s+\|\s+3\.0/);
    expect(await ok(cinder(['version-list']))).to.contain('Server supported API versions:');
  });

  it('cinder image-metadata, retype, migrate, unmanage; clean errors for image upload, reimage, encryption, backups; groups, QoS and transfers list empty', async function () {
    need(this, 'cinder');
    const id = await apiVolume('cc-misc');
    await ok(cinder(['image-metadata', 'cc-misc', 'set', 'os_distro=debian', 'hw_disk_bus=scsi']));
    await ok(cinder(['image-metadata', 'cc-misc', 'unset', 'hw_disk_bus']));
    expect(field(await ok(cinder(['image-metadata-show', 'cc-misc'])), 'os_distro')).to.equal('debian');
    expect(await fails(cinder(['image-metadata', 'cc-misc', 'unset', 'missing']))).to.contain(`Glance metadata for volume/snapshot ${id} cannot be found.`);

    await ok(cinder(['type-create', 'cc-same-as-file']));
    await ok(cinder(['type-key', 'cc-same-as-file', 'set', 'volume_backend_name=file']));
    await ok(cinder(['type-create', 'cc-file2']));
    await ok(cinder(['type-key', 'cc-file2', 'set', 'volume_backend_name=file2']));
    await ok(cinder(['retype', 'cc-misc', 'cc-same-as-file']));
    expect(field(await ok(cinder(['show', id])), 'volume_type')).to.equal('cc-same-as-file');
    expect(await fails(cinder(['retype', 'cc-misc', 'cc-same-as-file']))).to.contain('requested type has to be different that the one from the volume');
    expect(await fails(cinder(['retype', '--migration-policy', 'never', 'cc-misc', 'cc-file2']))).to.contain('Retype requires migration but is not allowed.');
    expect(await ok(cinder(['migrate', 'cc-misc', `${HOST}@file2#file2`]))).to.contain('needs backend-assisted migration');
    expect(await ok(cinder(['migrate', 'cc-misc', `${HOST}@file#file`]))).to.contain('must be different than the current one');

    expect(await fails(cinder(['upload-to-image', 'cc-misc', 'img']))).to.contain('needs an image service (Glance)');
    expect(await fails(cinder(['reimage', 'cc-misc', NO_ID]))).to.contain('needs an image service (Glance)');
    expect(await fails(cinder(['reimage', 'cc-misc', NO_ID], { version: '3.67' }))).to.match(/version|not supported|HTTP 404/i);
    expect(ids(await ok(cinder(['encryption-type-list'])))).to.deep.equal([]);
    expect(await fails(cinder(['encryption-type-create', 'cc-file2', 'luks']))).to.contain('cannot be encrypted');
    expect(ids(await ok(cinder(['backup-list'])))).to.deep.equal([]);
    expect(await fails(cinder(['backup-create', 'cc-misc']))).to.contain('Service cinder-backup could not be found. (HTTP 404)');
    expect(await fails(cinder(['backup-create', NO_ID]))).to.contain(`No volume with a name or ID of '${NO_ID}' exists.`);
    expect(await fails(cinder(['backup-restore', NO_ID]))).to.match(/No volumebackup with a name or ID|could not be found/);
    // Consistency groups are not offered (Cinder's own are superseded by generic groups).
    expect(await fails(cinder(['consisgroup-list']))).to.contain('(HTTP 404)');
    for (const cmd of ['group-list', 'group-snapshot-list', 'qos-list', 'transfer-list']) expect(ids(await ok(cinder([cmd]))), cmd).to.deep.equal([]);

    // unmanage, then find it among the manageable volumes and manage it again.
    await ok(cinder(['unmanage', 'cc-misc']));
    expect(await fails(cinder(['show', id]))).to.contain(`No volume with a name or ID of '${id}' exists.`);
    const manageable = await ok(cinder(['manageable-list', '--detailed', 'true', `${HOST}@file`]));
    expect(manageable).to.match(new RegExp(`source-name.*unmanaged-${id}\\.img.*\\|\\s+1\\s+\\|\\s+True`));
    const managed = await ok(cinder(['manage', '--name', 'cc-managed', '--volume-type', 'on-file', `${HOST}@file#file`, `unmanaged-${id}.img`]));
    const newId = field(managed, 'id');
    expect(field(await ok(cinder(['show', newId])), 'status')).to.equal('available');
    expect(field(await ok(cinder(['show', 'cc-managed'])), 'size')).to.equal('1');
    expect(await ok(cinder(['manageable-list', `${HOST}@file`]))).to.match(new RegExp(`volume-${newId}\\.img.*\\|\\s+False`));
    expect(await fails(cinder(['manage', `${HOST}@file#file`, 'no-such-file.img']))).to.contain('(HTTP 404)');
    const unknownHost = await fails(cinder(['manage', 'nohost@none#x', 'x.img']));
    expect(unknownHost).to.contain("no volume service runs on host 'nohost@none#x'");
    expect(unknownHost).to.contain('(HTTP 400)');
    await ok(cinder(['delete', 'cc-managed']));
    await gone('volumes', newId);
  });

  // ---- openstacksdk ------------------------------------------------------------------------

  const sdk = async (body: string[]): Promise<any> => {
    const script = [
      'import json, warnings',
      'warnings.simplefilter("ignore")',
      'import openstack',
      `conn = openstack.connect(auth_type="admin_token", auth={"token": "admin:${P}", "endpoint": "${t.url}/v3/${P}"}, block_storage_api_version="3", identity_interface="public")`,
      'bs = conn.block_storage',
      'out = {}',
      ...body,
      'print(json.dumps(out, default=str))',
    ].join('\n');
    const { stdout } = await run(PYTHON, ['-c', script], { env: ENV, timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  };

  it('openstacksdk block_storage: volumes (create, wait, get, find, list, filter, extend, metadata, flags, status, delete)', async function () {
    need(this, 'sdk');
    const out = await sdk([
      'v = bs.create_volume(size=1, name="sdk-vol", description="from sdk", metadata={"a": "b"}, volume_type="on-file")',
      'v = bs.wait_for_status(v, status="available", interval=0.05, wait=60)',
      'out["created"] = [v.name, v.size, v.status, v.volume_type]',
      'out["get"] = bs.get_volume(v.id).status',
      'out["find"] = bs.find_volume("sdk-vol").id == v.id',
      'out["list"] = "sdk-vol" in [x.name for x in bs.volumes()]',
      'out["summary_list"] = "sdk-vol" in [x.name for x in bs.volumes(details=False)]',
      'out["filtered"] = [x.name for x in bs.volumes(name="sdk-vol", status="available")]',
      'bs.extend_volume(v, 2)',
      'v = bs.wait_for_status(bs.get_volume(v.id), status="available", interval=0.05, wait=60)',
      'out["extended"] = bs.get_volume(v.id).size',
      'bs.set_volume_metadata(v, c="d")',
      'bs.delete_volume_metadata(bs.get_volume(v.id), ["a"])',
      'out["metadata"] = bs.get_volume(v.id).metadata',
      'bs.set_volume_bootable_status(v, True)',
      'bs.set_volume_readonly(v, True)',
      'out["bootable"] = bs.get_volume(v.id).is_bootable',
      'bs.reset_volume_status(v, "error", "detached", None)',
      'out["reset"] = bs.get_volume(v.id).status',
      'bs.reset_volume_status(v, "available", "detached", None)',
      'bs.delete_volume(v)',
      'bs.wait_for_delete(v, interval=0.05, wait=60)',
      'out["deleted"] = bs.find_volume(v.id) is None',
    ]);
    expect(out).to.deep.equal({
      created: ['sdk-vol', 1, 'available', 'on-file'],
      get: 'available',
      find: true,
      list: true,
      summary_list: true,
      filtered: ['sdk-vol'],
      extended: 2,
      metadata: { c: 'd' },
      bootable: true,
      reset: 'error',
      deleted: true,
    });
  });

  it('openstacksdk block_storage: snapshots, revert, types, type access, limits, quotas, zones, pools, capabilities, extensions, backups', async function () {
    need(this, 'sdk');
    const out = await sdk([
      'v = bs.wait_for_status(bs.create_volume(size=1, name="sdk-snapvol", volume_type="on-file"), status="available", interval=0.05, wait=60)',
      's = bs.wait_for_status(bs.create_snapshot(volume_id=v.id, name="sdk-snap"), status="available", interval=0.05, wait=60)',
      'out["snapshots"] = "sdk-snap" in [x.name for x in bs.snapshots(details=True)]',
      'out["snapshot"] = bs.get_snapshot(s.id).volume_id == v.id',
      'out["renamed"] = bs.update_snapshot(s, name="sdk-snap2").name',
      'out["snapmeta"] = bs.set_snapshot_metadata(s, k="v").metadata',
      'bs.revert_volume_to_snapshot(v, s)',
      'out["reverted"] = bs.wait_for_status(bs.get_volume(v.id), status="available", interval=0.05, wait=60).status',
      'bs.delete_snapshot(s)',
      'bs.wait_for_delete(s, interval=0.05, wait=60)',
      'bs.delete_volume(v)',
      'ty = bs.create_type(name="sdk-type", extra_specs={"x": "y"}, is_public=False)',
      'out["type"] = [bs.get_type(ty.id).extra_specs, bs.update_type(ty, description="dd").description]',
      'bs.update_type_extra_specs(ty, z="1")',
      'bs.delete_type_extra_specs(ty, ["x"])',
      'out["specs"] = bs.get_type(ty.id).extra_specs',
      `bs.add_type_access(ty, "${Q}")`,
      'out["access"] = [a["project_id"] for a in bs.get_type_access(ty)]',
      `bs.remove_type_access(ty, "${Q}")`,
      'bs.delete_type(ty)',
      'out["types"] = "sdk-type" in [x.name for x in bs.types()]',
      'out["limits"] = bs.get_limits().absolute.max_total_volumes',
      `q = bs.get_quota_set("${P}", usage=True)`,
      'out["usage"] = sorted(q.usage)',
      `bs.update_quota_set(bs.get_quota_set("${P}"), volumes=30)`,
      `out["quota"] = bs.get_quota_set("${P}").volumes`,
      `bs.revert_quota_set("${P}")`,
      `out["reverted_quota"] = bs.get_quota_set("${P}").volumes`,
      `out["defaults"] = bs.get_quota_set_defaults("${P}").volumes`,
      'out["zones"] = [z.name for z in bs.availability_zones()]',
      'out["pools"] = sorted(p.name for p in bs.backend_pools())',
      `out["capabilities"] = bs.get_capabilities("${HOST}@file").volume_backend_name`,
      'out["extensions"] = "os-volume-actions" in [e.alias for e in bs.extensions()]',
      'out["backups"] = list(bs.backups())',
    ]);
    expect(out).to.deep.equal({
      snapshots: true,
      snapshot: true,
      renamed: 'sdk-snap2',
      snapmeta: { k: 'v' },
      reverted: 'available',
      type: [{ x: 'y' }, 'dd'],
      specs: { z: '1' },
      access: [Q],
      types: false,
      limits: 100,
      usage: ['backup_gigabytes', 'backups', 'gigabytes', 'groups', 'per_volume_gigabytes', 'snapshots', 'volumes'],
      quota: 30,
      reverted_quota: 100,
      defaults: 100,
      zones: ['nova'],
      pools: [`${HOST}@file#file`, `${HOST}@file2#file2`],
      capabilities: 'file',
      extensions: true,
      backups: [],
    });
  });

  it('openstacksdk cloud layer: create_volume(wait), list, get, snapshots, limits, quotas (through the identity lookup), delete', async function () {
    need(this, 'sdk');
    const out = await sdk([
      'v = conn.create_volume(size=1, name="sdk-cloud", wait=True, timeout=60)',
      'out["status"] = v.status',
      'out["listed"] = "sdk-cloud" in [x.name for x in conn.list_volumes()]',
      'out["get"] = conn.get_volume("sdk-cloud").id == v.id',
      's = conn.create_volume_snapshot(v.id, name="sdk-cloud-snap", wait=True, timeout=60)',
      'out["snap"] = s.status',
      'out["types"] = "__DEFAULT__" in [x.name for x in conn.list_volume_types()]',
      'out["limits"] = conn.get_volume_limits()["absolute"]["maxTotalVolumes"]',
      `conn.set_volume_quotas("${P}", volumes=7)`,
      `out["quota"] = conn.get_volume_quotas("${P}").volumes`,
      `conn.delete_volume_quotas("${P}")`,
      'out["snap_deleted"] = conn.delete_volume_snapshot("sdk-cloud-snap", wait=True, timeout=60)',
      'out["deleted"] = conn.delete_volume("sdk-cloud", wait=True, timeout=60)',
    ]);
    expect(out).to.deep.equal({ status: 'available', listed: true, get: true, snap: 'available', types: true, limits: 100, quota: 7, snap_deleted: true, deleted: true });
  });
}, ['sqlite', 'mariadb']);

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { localInitiatorName } from '../../../core/connectors/index.js';
import { admin, launch, requireTgt, startCluster, stopCluster, SVM, type SimCluster } from './simulator-fixture.js';

const run = promisify(execFile);
const GiB = 1024 ** 3;

type Rec = Record<string, unknown>;

async function waitJob(c: SimCluster, href: string): Promise<Rec> {
  for (let i = 0; i < 200; i += 1) {
    const job = (await admin(c, 'GET', href)).body;
    if (job.state === 'success' || job.state === 'failure') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${href} did not finish`);
}

/** Reads or writes a LUN through tgt with qemu-io, as a host would. */
async function qemuIo(c: SimCluster, iqn: string, lun: number, command: string, readOnly = false): Promise<string> {
  const opts = `driver=iscsi,transport=tcp,portal=127.0.0.1:${c.iscsiPort},target=${iqn},lun=${lun},initiator-name=${localInitiatorName()}`;
  const { stdout } = await run('qemu-io', [...(readOnly ? ['-r'] : []), '--image-opts', opts, '-c', command]);
  return stdout;
}

describe('ONTAP simulator: REST behaviour and persistence', function () {
  this.timeout(180_000);
  let c: SimCluster | undefined;

  before(async function () {
    await requireTgt(this);
    c = await startCluster('sim', { jobTtlSeconds: 5 });
  });

  after(async () => {
    await stopCluster(c);
  });

  it('answers errors as {"error": {message, code, target}} with ONTAP codes and HTTP statuses', async () => {
    const missing = await admin(c!, 'GET', '/api/storage/luns/00000000-0000-0000-0000-000000000000');
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.include({ error: { message: "entry doesn't exist", code: '4', target: 'uuid' } });
    const unauth = await fetch(new URL('/api/cluster', c!.url));
    expect(unauth.status).to.equal(401);
    expect(unauth.headers.get('www-authenticate')).to.match(/^Basic/);
    const dup = { svm: { name: SVM }, name: '/vol/cinder_a/dup', space: { size: GiB } };
    expect((await admin(c!, 'POST', '/api/storage/luns', dup)).status).to.equal(201);
    const again = await admin(c!, 'POST', '/api/storage/luns', dup);
    expect(again.status).to.equal(400);
    expect((again.body.error as Rec).code).to.equal('5374863');
    const tooBig = await admin(c!, 'POST', '/api/storage/luns', { ...dup, name: '/vol/cinder_a/big', space: { size: 1024 * GiB } });
    expect((tooBig.body.error as Rec).code).to.equal('917534');
    // A query-less collection DELETE would hit every LUN: refused.
    expect((await admin(c!, 'DELETE', '/api/storage/luns')).status).to.equal(400);
  });

  it('runs long operations as jobs: 202 with a link, polled to success; return_timeout waits', async () => {
    const vol = ((await admin(c!, 'GET', '/api/storage/volumes?name=cinder_a')).body.records as Rec[])[0]!;
    const accepted = await admin(c!, 'POST', `/api/storage/volumes/${String(vol.uuid)}/snapshots`, { name: 'job_snap' });
    expect(accepted.status).to.equal(202);
    const href = ((accepted.body.job as Rec)._links as { self: { href: string } }).self.href;
    expect(href).to.match(/^\/api\/cluster\/jobs\/[0-9a-f-]{36}$/);
    expect((await waitJob(c!, href)).state).to.equal('success');
    const waited = await admin(c!, 'POST', `/api/storage/volumes/${String(vol.uuid)}/snapshots?return_timeout=30`, { name: 'job_snap2' });
    expect(waited.status).to.equal(201);
    const failed = await admin(c!, 'POST', `/api/storage/volumes/${String(vol.uuid)}/snapshots?return_timeout=30`, { name: 'job_snap2' });
    expect(failed.status).to.equal(400);
    expect((failed.body.error as Rec).code).to.equal('1638518');
    // Finished jobs expire (jobTtlSeconds: 5 here).
    await new Promise((r) => setTimeout(r, 5500));
    expect((await admin(c!, 'GET', href)).status).to.equal(404);
  });

  it('pages with max_records and a next link, and returns only key fields unless asked', async () => {
    for (let i = 0; i < 5; i += 1) await admin(c!, 'POST', '/api/storage/luns', { svm: { name: SVM }, name: `/vol/cinder_b/page_${i}`, space: { size: GiB } });
    const seen: string[] = [];
    let href: string | undefined = '/api/storage/luns?name=/vol/cinder_b/page_*&max_records=2';
    while (href !== undefined) {
      const page: Rec = (await admin(c!, 'GET', href)).body;
      expect((page.records as Rec[]).length).to.be.at.most(2);
      for (const r of page.records as Rec[]) {
        expect(Object.keys(r).sort()).to.deep.equal(['name', 'uuid']);
        seen.push(String(r.name));
      }
      href = ((page._links as Rec).next as { href: string } | undefined)?.href;
    }
    expect(seen).to.deep.equal([0, 1, 2, 3, 4].map((i) => `/vol/cinder_b/page_${i}`));
    const withFields = (await admin(c!, 'GET', '/api/storage/luns?name=/vol/cinder_b/page_0&fields=space.size')).body.records as Rec[];
    expect(withFields[0]).to.deep.include({ space: { size: GiB } });
  });

  it('keeps every object and every byte across kill -9 and restart', async () => {
    const lun = ((await admin(c!, 'POST', '/api/storage/luns?return_records=true', { svm: { name: SVM }, name: '/vol/cinder_a/durable', space: { size: GiB } })).body.records as Rec[])[0]!;
    await admin(c!, 'POST', '/api/protocols/san/igroups', { svm: { name: SVM }, name: 'durable_ig', protocol: 'iscsi', initiators: [{ name: localInitiatorName() }] });
    const map = ((await admin(c!, 'POST', '/api/protocols/san/lun-maps?return_records=true', { lun: { name: '/vol/cinder_a/durable' }, igroup: { name: 'durable_ig' } })).body.records as Rec[])[0]!;
    const iqn = (((await admin(c!, 'GET', '/api/protocols/san/iscsi/services?fields=target.name')).body.records as Rec[])[0]!.target as Rec).name as string;
    const n = map.logical_unit_number as number;
    const pattern = randomBytes(1)[0]!;
    await qemuIo(c!, iqn, n, `write -P ${pattern} 1048576 65536`);
    const before = JSON.stringify((await admin(c!, 'GET', '/api/storage/luns?fields=**')).body.records);
    process.kill(c!.pid, 'SIGKILL');
    await launch(c!);
    const after = JSON.stringify((await admin(c!, 'GET', '/api/storage/luns?fields=**')).body.records);
    expect(JSON.parse(after)).to.deep.equal(JSON.parse(before));
    expect(((await admin(c!, 'GET', `/api/storage/luns/${String(lun.uuid)}?fields=lun_maps`)).body.lun_maps as Rec[]).length).to.equal(1);
    // The restarted cluster exports the LUN again and the data is there.
    const out = await qemuIo(c!, iqn, n, `read -P ${pattern} 1048576 65536`, true);
    expect(out).to.match(/read 65536\/65536 bytes/);
    expect(out).not.to.match(/Pattern verification failed/);
  });

  it('limits an SVM-scoped account to its SVM and a role to its paths', async () => {
    const scoped = await startCluster('scope', {
      svms: ['svm1', 'svm2'],
      volumes: [
        { name: 'v1', svm: 'svm1', size: 8 * GiB },
        { name: 'v2', svm: 'svm2', size: 8 * GiB },
      ],
      users: [
        { name: 'admin', password: 'sim-admin-pw', role: 'admin' },
        { name: 'vsadmin', password: 'pw2', role: 'admin', svm: 'svm2' },
        { name: 'reader', password: 'pw3', role: 'ro' },
      ],
      roles: [{ name: 'ro', privileges: [{ path: '/api/storage', access: 'readonly' }] }],
    });
    try {
      const as = (user: string, pw: string, method = 'GET', path = '/api/storage/volumes', body?: unknown): Promise<Response> =>
        fetch(new URL(path, scoped.url), { method, headers: { authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const names = ((await (await as('vsadmin', 'pw2')).json()) as { records: Rec[] }).records.map((r) => r.name);
      expect(names).to.deep.equal(['v2']);
      expect((await as('reader', 'pw3')).status).to.equal(200);
      expect((await as('reader', 'pw3', 'POST', '/api/storage/luns', { svm: { name: 'svm1' }, name: '/vol/v1/x', space: { size: GiB } })).status).to.equal(403);
      expect((await as('reader', 'pw3', 'GET', '/api/protocols/san/igroups')).status).to.equal(403);
    } finally {
      await stopCluster(scoped);
    }
  });

  it('injects faults: 503s, dropped connections and latency, lifted through the admin endpoint', async () => {
    await admin(c!, 'PATCH', '/api/_sim/faults', { errorRate: 1 });
    const failing = await admin(c!, 'GET', '/api/cluster');
    expect(failing.status).to.equal(503);
    await admin(c!, 'PATCH', '/api/_sim/faults', { errorRate: 0, dropRate: 1 });
    const dropped = await admin(c!, 'GET', '/api/cluster').then(() => 'answered', () => 'dropped');
    expect(dropped).to.equal('dropped');
    await admin(c!, 'PATCH', '/api/_sim/faults', { dropRate: 0, latencyMs: 300 });
    const t0 = performance.now();
    expect((await admin(c!, 'GET', '/api/cluster')).status).to.equal(200);
    expect(performance.now() - t0).to.be.at.least(290);
    await admin(c!, 'PATCH', '/api/_sim/faults', { latencyMs: 0 });
  });
});

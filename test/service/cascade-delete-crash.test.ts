import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { serveReadyUrl } from '../helpers/serve-ready.js';
import { forEachDatabase, startTestService } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'slow-file-driver.ts');
const RUN = path.resolve(here, '..', '..', 'bin', 'run.js');

const slowIni = (stateDir: string, delayMs: number) =>
  `[DEFAULT]\nenabled_backends = slow\n[backend_defaults]\nvolume_driver = ${FIXTURE}\n[slow]\ndirectory = ${stateDir}/slow\ndelayMs = ${delayMs}\n`;

/** The images and snapshot records the file driver holds (its tmp directory aside). */
async function backendFiles(dir: string): Promise<string[]> {
  const list = async (sub: string) => (await readdir(path.join(dir, sub)).catch(() => [] as string[])).map((f) => `${sub}/${f}`);
  return [...(await list('volumes')), ...(await list('snapshots'))];
}

/** Polls `check` until it returns true; fails after `tries` polls without success. */
async function eventually(what: string, check: () => Promise<boolean>, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: never happened`);
}

type Call = (method: string, p: string, body?: unknown) => Promise<{ status: number; body: any }>;

const caller =
  (url: string): Call =>
  async (method, p, body) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { 'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': 'volume 3.70', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

// Issue 15, item 1: a cascade delete interrupted by kill -9 left snapshots in error_deleting
// with their data on disk, and retries could not clear them.
forEachDatabase(
  'cascade delete interrupted by a crash (issue 15)',
  function (database) {
    this.timeout(180_000);

    it('resumes a cascade delete killed midway: nothing stranded, no file left on the backend', async () => {
      const stateDir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-cascade-'));
      const backendDir = path.join(stateDir, 'slow');
      const conf = path.join(stateDir, 'ashlar.conf');
      await writeFile(conf, slowIni(stateDir, 700) + (await database.create()).ini);
      const children: ChildProcess[] = [];
      const start = async (): Promise<Call> => {
        const child = spawn(process.execPath, [RUN, 'serve', '--config', conf, '--state-dir', stateDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(child);
        return caller(await serveReadyUrl(child));
      };
      try {
        let call = await start();
        const vol = (await call('POST', '/v3/volumes', { volume: { size: 1 } })).body.volume.id as string;
        await eventually('volume available', async () => (await call('GET', `/v3/volumes/${vol}`)).body.volume.status === 'available');
        const snaps: string[] = [];
        for (let i = 0; i < 3; i++) snaps.push((await call('POST', '/v3/snapshots', { snapshot: { volume_id: vol, name: `s${i}` } })).body.snapshot.id);
        await eventually('snapshots available', async () => (await call('GET', `/v3/snapshots?volume_id=${vol}`)).body.snapshots.every((s: any) => s.status === 'available'));
        expect(await backendFiles(backendDir)).to.have.length(1 + 2 * snaps.length);

        expect((await call('DELETE', `/v3/volumes/${vol}?cascade=true`)).status).to.equal(202);
        // Killed once the first snapshot's data is gone: the other deletes are in flight or queued.
        await eventually('a snapshot deleted', async () => (await backendFiles(backendDir)).length < 1 + 2 * snaps.length, 3000);
        children[0]!.kill('SIGKILL');
        await new Promise((r) => children[0]!.once('exit', r));

        call = await start();
        await eventually('volume gone', async () => (await call('GET', `/v3/volumes/${vol}`)).status === 404);
        for (const s of snaps) expect((await call('GET', `/v3/snapshots/${s}`)).status, `snapshot ${s}`).to.equal(404);
        expect((await call('GET', '/v3/snapshots?all_tenants=1')).body.snapshots).to.deep.equal([]);
        expect(await backendFiles(backendDir)).to.deep.equal([]);
      } finally {
        for (const c of children) c.kill('SIGKILL');
        await rm(stateDir, { recursive: true, force: true });
      }
    });

    it('lets a retried delete and os-force_delete finish snapshots the recovery left in error_deleting', async () => {
      const t = await startTestService('[DEFAULT]\nenabled_backends = f\n[f]\nvolume_driver = file\ndirectory = {state}/f\n', { database });
      const { stateDir } = t;
      const backendDir = path.join(stateDir, 'f');
      let t2: Awaited<ReturnType<typeof startTestService>> | undefined;
      try {
        const vol = (await t.call('POST', '/v3/volumes', { body: { volume: { size: 1 } } })).body.volume.id as string;
        await t.waitFor(`/v3/volumes/${vol}`, 'volume', ['available']);
        const snaps: string[] = [];
        for (let i = 0; i < 2; i++) {
          const s = (await t.call('POST', '/v3/snapshots', { body: { snapshot: { volume_id: vol } } })).body.snapshot.id as string;
          await t.waitFor(`/v3/snapshots/${s}`, 'snapshot', ['available']);
          snaps.push(s);
        }
        // What a crash between the status change and the work record would leave (the
        // recovery sweep's input): everything deleting, no work queued.
        await t.service.db.updateTable('volumes').set({ status: 'deleting' }).where('id', '=', vol).execute();
        await t.service.db.updateTable('snapshots').set({ status: 'deleting' }).where('volume_id', '=', vol).execute();
        await t.service.close();
        t2 = await startTestService('[DEFAULT]\nenabled_backends = f\n[f]\nvolume_driver = file\ndirectory = {state}/f\n', { stateDir, database: t.database });
        expect((await t2.call('GET', `/v3/snapshots/${snaps[0]}`)).body.snapshot.status).to.equal('error_deleting');

        // A plain retry of one snapshot's delete finishes it.
        expect((await t2.call('DELETE', `/v3/snapshots/${snaps[0]}`)).status).to.equal(202);
        await t2.waitFor(`/v3/snapshots/${snaps[0]}`, 'snapshot', ['deleted']);
        // os-force_delete of the volume takes the remaining snapshot with it.
        expect((await t2.call('POST', `/v3/volumes/${vol}/action`, { body: { 'os-force_delete': {} } })).status).to.equal(202);
        await t2.waitFor(`/v3/volumes/${vol}`, 'volume', ['deleted']);
        expect((await t2.call('GET', `/v3/snapshots/${snaps[1]}`)).status).to.equal(404);
        expect(await backendFiles(backendDir)).to.deep.equal([]);
      } finally {
        await t2?.stop();
        await rm(stateDir, { recursive: true, force: true });
      }
    });
  },
  ['sqlite', 'postgresql'],
);

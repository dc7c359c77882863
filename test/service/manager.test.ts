import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { InProcessCoordinator } from '../../service/coordination/in-process.js';
import { forEachDatabase, startTestService } from './helpers.js';
import { TIMELINE } from './fixtures/slow-file-driver.js';
import { serveReadyUrl } from '../helpers/serve-ready.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'slow-file-driver.ts');
const RUN = path.resolve(here, '..', '..', 'bin', 'run.js');

const slowIni = (delayMs: number) => `[DEFAULT]\nenabled_backends = slow\n[backend_defaults]\nvolume_driver = ${FIXTURE}\n[slow]\ndirectory = {state}/slow\ndelayMs = ${delayMs}\n`;

describe('coordination: in-process shared/exclusive locks', () => {
  it('grants shared holders together and makes an exclusive waiter wait for all of them', async () => {
    const c = new InProcessCoordinator();
    const a = await c.acquire('v', 'shared');
    const b = await c.acquire('v', 'shared');
    let exclusive = false;
    const ex = c.acquire('v', 'exclusive').then((r) => ((exclusive = true), r));
    // A later shared request queues behind the exclusive one (no writer starvation).
    let lateShared = false;
    const late = c.acquire('v', 'shared').then((r) => ((lateShared = true), r));
    await new Promise((r) => setImmediate(r));
    expect(exclusive).to.equal(false);
    a();
    await new Promise((r) => setImmediate(r));
    expect(exclusive).to.equal(false);
    b();
    (await ex)();
    expect(exclusive).to.equal(true);
    (await late)();
    expect(lateShared).to.equal(true);
    expect(c.activeLocks).to.deep.equal([]);
  });

  it('gives up waiting when the signal aborts', async () => {
    const c = new InProcessCoordinator();
    const held = await c.acquire('x', 'exclusive');
    const ac = new AbortController();
    const waiting = c.acquire('x', 'shared', ac.signal);
    ac.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect((err as { code: string }).code).to.equal('ABORTED');
    held();
  });
});

forEachDatabase('volume manager', function (database) {
  this.timeout(60_000);

  it('runs clones of one source in parallel while a delete of the source waits for them', async () => {
    const t = await startTestService(slowIni(300), { database });
    try {
      const src = await t.call('POST', '/v3/volumes', { body: { volume: { size: 1 } } });
      const srcId = src.body.volume.id;
      await t.waitFor(`/v3/volumes/${srcId}`, 'volume', ['available']);
      TIMELINE.length = 0;
      const clones = await Promise.all([1, 2, 3].map(() => t.call('POST', '/v3/volumes', { body: { volume: { source_volid: srcId } } })));
      // Accepted while the clones run: the source is still available.
      expect((await t.call('DELETE', `/v3/volumes/${srcId}`)).status).to.equal(202);
      await t.waitFor(`/v3/volumes/${srcId}`, 'volume', ['deleted']);
      for (const c of clones) await t.waitFor(`/v3/volumes/${c.body.volume.id}`, 'volume', ['available']);
      // Positions in the recorded order of starts and ends, not clock readings.
      const at = (pick: (e: (typeof TIMELINE)[number]) => boolean): number[] => TIMELINE.flatMap((e, i) => (pick(e) ? [i] : []));
      const cloneStarts = at((e) => e.method === 'createClonedVolume' && e.event === 'start');
      const cloneEnds = at((e) => e.method === 'createClonedVolume' && e.event === 'end');
      const deleteStart = at((e) => e.method === 'deleteVolume' && e.id === srcId && e.event === 'start')[0]!;
      expect(cloneStarts).to.have.length(3);
      expect(Math.max(...cloneStarts)).to.be.lessThan(Math.min(...cloneEnds), 'clones overlapped');
      expect(deleteStart).to.be.greaterThan(Math.max(...cloneEnds), 'delete waited for every clone');
    } finally {
      await t.stop();
    }
  });

  it('leaves nothing in a transitional status after kill -9 and a restart', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-crash-'));
    const conf = path.join(stateDir, 'ashlar.conf');
    await writeFile(conf, slowIni(1500).replaceAll('{state}', stateDir) + (await database.create()).ini);
    const start = async (): Promise<{ child: ChildProcess; url: string }> => {
      const child = spawn(process.execPath, [RUN, 'serve', '--config', conf, '--state-dir', stateDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const url = await serveReadyUrl(child);
      return { child, url };
    };
    const call = async (url: string, method: string, p: string, body?: unknown) => {
      const res = await fetch(`${url}${p}`, { method, headers: { 'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return (await res.json().catch(() => undefined)) as any;
    };
    let first: ChildProcess | undefined;
    let second: ChildProcess | undefined;
    try {
      const a = await start();
      first = a.child;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await call(a.url, 'POST', '/v3/volumes', { volume: { size: 1 } })).volume.id);
      const before = await call(a.url, 'GET', '/v3/volumes/detail');
      expect(before.volumes.map((v: any) => v.status)).to.include('creating');
      first.kill('SIGKILL');
      await new Promise((r) => first!.once('exit', r));

      const b = await start();
      second = b.child;
      for (let i = 0; i < 100; i++) {
        const list = await call(b.url, 'GET', '/v3/volumes/detail');
        if (list.volumes.every((v: any) => v.status === 'available')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await call(b.url, 'GET', '/v3/volumes/detail');
      expect(after.volumes.map((v: any) => v.id).sort()).to.deep.equal([...ids].sort());
      expect(after.volumes.map((v: any) => v.status)).to.deep.equal(ids.map(() => 'available'));
    } finally {
      first?.kill('SIGKILL');
      second?.kill('SIGTERM');
      if (second) await new Promise((r) => second!.once('exit', r));
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('moves a transitional status without work in progress to an error with a user message', async () => {
    const t = await startTestService('', { database });
    const stateDir = t.stateDir;
    // Each interrupted operation ends in its own error status with its own message (issue 11:
    // recovery used to say "created" for interrupted deletes and extends too).
    const cases = [
      { from: 'extending', to: 'error_extending', message: /extend volume: The service restarted/ },
      { from: 'deleting', to: 'error_deleting', message: /delete volume: The service restarted/ },
      { from: 'creating', to: 'error', message: /create volume: The service restarted/ },
      { from: 'reverting', to: 'error', message: /revert to snapshot: The service restarted/ },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const v = await t.call('POST', '/v3/volumes', { body: { volume: { size: 1 } } });
      ids.push(v.body.volume.id);
      await t.waitFor(`/v3/volumes/${v.body.volume.id}`, 'volume', ['available']);
      await t.service.db.updateTable('volumes').set({ status: c.from }).where('id', '=', v.body.volume.id).execute();
    }
    await t.service.close();
    const t2 = await startTestService('', { stateDir, database: t.database });
    try {
      expect(t2.service.recovery.failed).to.equal(cases.length);
      for (const [i, c] of cases.entries()) {
        expect((await t2.call('GET', `/v3/volumes/${ids[i]}`)).body.volume.status, c.from).to.equal(c.to);
        const msgs = await t2.call('GET', `/v3/messages?resource_uuid=${ids[i]}`);
        expect(msgs.body.messages, c.from).to.have.length(1);
        expect(msgs.body.messages[0].user_message, c.from).to.match(c.message);
      }
    } finally {
      await t2.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

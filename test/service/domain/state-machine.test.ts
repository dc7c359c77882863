/** Issue 11: one state machine per resource, one compare-and-set, illegal transitions coded. */
import { expect } from 'chai';
import { hasErrorCode } from '../../../core/errors/ashlar-error.js';
import { ATTACHMENT_STATES } from '../../../service/domain/attachments/attachment-states.js';
import { SNAPSHOT_STATES } from '../../../service/domain/snapshots/snapshot-states.js';
import { canTransition, defineMachine, resetStatus, settleTo, transition, type StateMachine } from '../../../service/domain/state-machine.js';
import { VOLUME_STATES } from '../../../service/domain/volumes/volume-states.js';
import { startTestService, type TestService } from '../helpers.js';

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('domain: state machines', () => {
  let svc: TestService;
  let volumeId: string;
  before(async function () {
    this.timeout(60_000);
    svc = await startTestService();
    const r = await svc.call('POST', '/v3/admin/volumes', { body: { volume: { size: 1 } } });
    volumeId = r.body.volume.id;
    await svc.waitFor(`/v3/admin/volumes/${volumeId}`, 'volume', ['available']);
  });
  after(async () => svc?.stop());

  const row = async () => (await svc.service.db.selectFrom('volumes').selectAll().where('id', '=', volumeId).executeTakeFirstOrThrow());

  it('every table names only its own statuses, and each transitional status can end', () => {
    for (const m of [VOLUME_STATES, SNAPSHOT_STATES, ATTACHMENT_STATES] as unknown as StateMachine<string>[]) {
      for (const s of m.transitional) expect(m.transitions[s].length, `${m.resource} ${s}`).to.be.greaterThan(0);
    }
    expect(() => defineMachine({ resource: 'x', table: 'volumes', statuses: ['a'], transitions: { a: ['b' as 'a'] }, transitional: [] })).to.throw(/unknown status b/);
  });

  it('refuses a transition the table does not list with ILLEGAL_TRANSITION, and writes nothing', async () => {
    const before = await row();
    expect(canTransition(VOLUME_STATES, 'available', 'creating')).to.equal(false);
    const err = await errorOf(transition(svc.service.db, VOLUME_STATES, { row: before, from: ['available'], to: 'creating', action: 'test' }));
    expect(hasErrorCode(err, 'ILLEGAL_TRANSITION'), String(err)).to.equal(true);
    expect((err as { status: number }).status).to.equal(500);
    expect((await row()).status).to.equal('available');
  });

  it('answers INVALID_STATE when the row is not in a starting status of the action', async () => {
    const err = await errorOf(transition(svc.service.db, VOLUME_STATES, { row: await row(), from: ['in-use'], to: 'detaching', action: 'begin_detaching' }));
    expect(hasErrorCode(err, 'INVALID_STATE'), String(err)).to.equal(true);
    expect(String((err as Error).message)).to.match(/begin_detaching: volume status must be in-use, not available/);
  });

  it('lets exactly one of two writers that read the same status win (compare-and-set)', async () => {
    const seen = await row();
    const results = await Promise.allSettled([
      transition(svc.service.db, VOLUME_STATES, { row: seen, from: ['available'], to: 'maintenance', action: 'a' }),
      transition(svc.service.db, VOLUME_STATES, { row: seen, from: ['available'], to: 'reserved', action: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(hasErrorCode(lost.reason, 'INVALID_STATE')).to.equal(true);
    expect(['maintenance', 'reserved']).to.include((await row()).status);
    await resetStatus(svc.service.db, VOLUME_STATES, volumeId, 'available');
  });

  it('settleTo moves where the table allows and otherwise keeps the status', async () => {
    await resetStatus(svc.service.db, VOLUME_STATES, volumeId, 'error');
    expect(await settleTo(svc.service.db, VOLUME_STATES, await row(), 'available', 'test', { attach_status: 'detached' })).to.equal(false);
    expect((await row()).status).to.equal('error');
    await resetStatus(svc.service.db, VOLUME_STATES, volumeId, 'in-use');
    expect(await settleTo(svc.service.db, VOLUME_STATES, await row(), 'available', 'test')).to.equal(true);
    expect((await row()).status).to.equal('available');
  });

  it('os-reset_status is the one override, and refuses a status the resource does not have', async () => {
    const err = await errorOf(resetStatus(svc.service.db, VOLUME_STATES, volumeId, 'melting'));
    expect(hasErrorCode(err, 'BAD_REQUEST')).to.equal(true);
    const r = await svc.call('POST', `/v3/admin/volumes/${volumeId}/action`, { body: { 'os-reset_status': { status: 'error' } } });
    expect(r.status).to.equal(202);
    expect((await row()).status).to.equal('error');
    // From error the API's own actions are refused by the machine's preconditions, with Cinder's 400.
    const ext = await svc.call('POST', `/v3/admin/volumes/${volumeId}/action`, { body: { 'os-extend': { new_size: 2 } } });
    expect(ext.status).to.equal(400);
    expect(ext.body.badRequest.message).to.match(/extend: volume status must be available or in-use, not error/);
    await resetStatus(svc.service.db, VOLUME_STATES, volumeId, 'available');
  });
});

describe('domain: every status write goes through the state machine', () => {
  it('no service module writes a status column except through service/domain/state-machine.ts', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../../service');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
    const offenders: string[] = [];
    for (const file of walk(root)) {
      if (file.endsWith(path.join('domain', 'state-machine.ts'))) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (/updateTable\('(volumes|snapshots|attachments)'\)/.test(line) && /\bstatus\s*:/.test(line)) offenders.push(`${path.relative(root, file)}:${i + 1}`);
      });
    }
    expect(offenders).to.deep.equal([]);
  });
});

import fc from 'fast-check';
import type { ConformanceCheckResult } from '../../core/generated/schemas.js';
import { isValidResourceId } from '../../core/contract/names.js';
import type { DriverSnapshot, DriverVolume } from '../../core/contract/types.js';
import type { ErrorCode } from '../../core/errors/registry.js';
import { withCleanup } from '../cleanup.js';
import { duplicateIdsRefused } from '../scenarios/duplicates.js';
import { hostileReferencesRefused, manageRoundTrip } from '../scenarios/manage.js';
import { deletesTouchOnlyTheirTarget } from '../scenarios/prefix-deletes.js';
import { derivedSizesRefused, hugeSizesAreReal } from '../scenarios/sizes.js';
import { edgeIdsWork } from '../scenarios/volumes.js';
import { lookAlikeIdsStayApart } from '../scenarios/look-alike-ids.js';
import { needs, runScenario, type Scenario } from './scenario-check.js';
import { runProperty } from '../property.js';
import type { Session } from '../session.js';
import { attach, detach, verifyGone, verifyVolume, writeExtent } from '../volume-io.js';
import { RULES } from '../rules.js';
import { ConformanceViolation, expectCode, expectOk } from '../violation.js';
import { propertySettings, type Suite, type SuiteContext, type SuiteOutcome } from './types.js';
import { HOSTILE_NAMES } from '../hostile-names.js';

export { HOSTILE_NAMES };

const raw = (session: Session): Record<string, (args: object) => Promise<unknown>> => session.driver.raw as unknown as Record<string, (args: object) => Promise<unknown>>;
const signal = (): AbortSignal => AbortSignal.timeout(60_000);

/**
 * Every call with a hostile id, straight to the raw driver (the wrapper would refuse them
 * before the driver saw them). Creates must answer INVALID_ARGUMENT; lookups
 * INVALID_ARGUMENT or the kind's NOT_FOUND code. Success is never accepted, not even for
 * an idempotent delete: a driver cannot know a hostile name is absent without resolving it.
 */
async function hostileCalls(session: Session, name: string, existing: DriverVolume, snap: DriverSnapshot | undefined): Promise<void> {
  const r = raw(session);
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…(${name.length} chars)` : name);
  const bad = { id: name, sizeGiB: 1 };
  const badSnap = { id: name, volumeId: existing.id, sizeGiB: existing.sizeGiB };
  const create: ErrorCode[] = ['INVALID_ARGUMENT'];
  const lookupVolume: ErrorCode[] = ['INVALID_ARGUMENT', 'VOLUME_NOT_FOUND'];
  const lookupSnapshot: ErrorCode[] = ['INVALID_ARGUMENT', 'SNAPSHOT_NOT_FOUND'];
  const calls: [string, ErrorCode[], () => Promise<unknown>][] = [
    ['createVolume', create, () => r.createVolume!({ volume: bad, signal: signal() })],
    ['deleteVolume', lookupVolume, () => r.deleteVolume!({ volume: bad, signal: signal() })],
    ['extendVolume', lookupVolume, () => r.extendVolume!({ volume: bad, newSizeGiB: 2, signal: signal() })],
    ['initializeConnection', lookupVolume, () => r.initializeConnection!({ volume: bad, connector: session.connector, signal: signal() })],
    ['terminateConnection', lookupVolume, () => r.terminateConnection!({ volume: bad, connector: session.connector, signal: signal() })],
  ];
  if (session.driver.supports('snapshots')) {
    calls.push(
      ['createSnapshot', create, () => r.createSnapshot!({ snapshot: badSnap, volume: existing, signal: signal() })],
      ['createSnapshot (of a hostile volume)', lookupVolume, () => r.createSnapshot!({ snapshot: { id: `${existing.id}-hs`, volumeId: name, sizeGiB: 1 }, volume: bad, signal: signal() })],
      ['deleteSnapshot', lookupSnapshot, () => r.deleteSnapshot!({ snapshot: badSnap, signal: signal() })],
    );
    if (snap) {
      calls.push(['createVolumeFromSnapshot', create, () => r.createVolumeFromSnapshot!({ volume: bad, snapshot: snap, signal: signal() })]);
      calls.push(['createVolumeFromSnapshot (hostile snapshot)', lookupSnapshot, () => r.createVolumeFromSnapshot!({ volume: { id: `${existing.id}-hv`, sizeGiB: 1 }, snapshot: badSnap, signal: signal() })]);
    }
  }
  if (session.driver.supports('clone')) {
    calls.push(
      ['createClonedVolume', create, () => r.createClonedVolume!({ volume: bad, source: existing, signal: signal() })],
      ['createClonedVolume (hostile source)', lookupVolume, () => r.createClonedVolume!({ volume: { id: `${existing.id}-hc`, sizeGiB: 1 }, source: bad, signal: signal() })],
    );
  }
  if (session.driver.supports('manage')) {
    calls.push(['unmanage', lookupVolume, () => r.unmanage!({ volume: bad, signal: signal() })]);
  }
  if (session.driver.supports('revertToSnapshot')) {
    calls.push(['revertToSnapshot (hostile snapshot)', lookupSnapshot, () => r.revertToSnapshot!({ volume: existing, snapshot: badSnap, signal: signal() })]);
  }
  for (const [what, codes, call] of calls) await expectCode(`${what} with id ${shown}`, codes, call, RULES.names);
}

/** Sets up one volume with data (and a snapshot when declared) for the negative checks. */
async function fixture(session: Session, tag: string): Promise<{ volume: DriverVolume; snapshot: DriverSnapshot | undefined }> {
  const prefix = session.newRunPrefix(tag);
  const volume = { id: `${prefix}-v`, sizeGiB: 1 };
  session.tracker.volume(volume);
  session.tracker.count();
  await expectOk(`createVolume(${volume.id})`, () => session.driver.createVolume({ volume }));
  await writeExtent(session, volume, { offset: 4096, length: 4096, fill: 7 });
  let snapshot: DriverSnapshot | undefined;
  if (session.driver.supports('snapshots')) {
    const snap = { id: `${prefix}-s`, volumeId: volume.id, sizeGiB: 1 };
    session.tracker.snapshot(snap);
    session.tracker.count();
    await expectOk(`createSnapshot(${snap.id})`, () => session.driver.createSnapshot({ snapshot: snap, volume }));
    snapshot = snap;
  }
  // Also reserve the ids hostile calls might derive from the fixture, so a wrongly
  // created one is swept.
  for (const suffix of ['hv', 'hc']) session.tracker.volume({ id: `${volume.id}-${suffix}`, sizeGiB: 1 });
  session.tracker.snapshot({ id: `${volume.id}-hs`, volumeId: volume.id, sizeGiB: 1 });
  return { volume, snapshot };
}

/** Random names outside the ResourceId pattern: binary junk, unicode, and valid names with one bad piece. */
function hostileNameArb(): fc.Arbitrary<string> {
  const valid = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
  const piece = fc.constantFrom('/', '../', '..', ';', '$(', '`', '\0', ' ', '\n', '|', '&', '*', '\\', '%2e%2e%2f', '\u00e9', '\u{1F4A5}');
  return fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.tuple(valid, piece, valid).map(([a, b, c]) => a + b + c),
      fc.tuple(piece, valid).map(([a, b]) => a + b),
      fc.integer({ min: 65, max: 400 }).map((n) => 'n'.repeat(n)),
    )
    .filter((s) => !isValidResourceId(s));
}

async function named(name: string, work: () => Promise<void>, session: Session): Promise<ConformanceCheckResult> {
  return runScenario('negative', { name, run: work }, session);
}

/** Fixed negative scenarios beyond names, sizes and unknown ids. */
const SCENARIOS: readonly Scenario[] = [
  { name: 'duplicate ids are refused and leave the existing resource untouched', run: duplicateIdsRefused },
  { name: 'deletes touch only the named resource', run: deletesTouchOnlyTheirTarget },
  { name: 'valid ids at the edges of the pattern work', run: edgeIdsWork },
  { name: 'ids that look alike name different volumes', run: lookAlikeIdsStayApart },
  { name: 'sizes of clones and volumes from snapshots are checked', run: derivedSizesRefused, skip: (s) => (s.driver.supports('clone') || s.driver.supports('snapshots') ? undefined : 'neither "clone" nor "snapshots" is declared') },
  { name: 'a 1 PiB create or extend is real or refused', run: hugeSizesAreReal },
  { name: 'manage and unmanage keep data', run: manageRoundTrip, skip: needs('manage') },
  { name: 'references outside the backend are refused', run: hostileReferencesRefused, skip: needs('manage') },
];

/** Idempotency and negative checks: hostile names, bad sizes, unknown ids, repeated calls. */
export const negativeSuite: Suite = {
  name: 'negative',
  async run(ctx: SuiteContext): Promise<SuiteOutcome> {
    const { session } = ctx;
    const checks: ConformanceCheckResult[] = [];
    const onlyReplay = ctx.replay !== undefined;
    if (!onlyReplay) {
      checks.push(
        await named('hostile names are refused', async () => {
          const { volume, snapshot } = await fixture(session, 'h');
          for (const name of HOSTILE_NAMES) await hostileCalls(session, name, volume, snapshot);
          await verifyVolume(session, { ...volume, extents: [{ offset: 4096, length: 4096, fill: 7 }] }, 'fixture volume after hostile calls');
        }, session),
      );
    }
    if (!onlyReplay || ctx.replay?.property === 'negative.random-hostile-names') {
      checks.push(
        await runProperty({
          id: 'negative.random-hostile-names',
          name: 'random hostile names are refused',
          numRuns: Math.max(10, Math.round(session.config.runs / 5)),
          ...propertySettings(ctx),
          build: (_, guard) =>
            fc.asyncProperty(
              hostileNameArb(),
              guard.wrap(async (name) => {
                const problems = await withCleanup(session, async () => {
                  const { volume, snapshot } = await fixture(session, 'r');
                  await hostileCalls(session, name, volume, snapshot);
                });
                if (problems.length > 0) throw new ConformanceViolation(problems.join('; '));
              }),
            ),
        }),
      );
    }
    if (onlyReplay) return { checks, skipped: [] };
    checks.push(
      await named('invalid sizes are refused', async () => {
        const r = raw(session);
        const prefix = session.newRunPrefix('z');
        for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1048577, '1' as unknown as number]) {
          const volume = { id: `${prefix}-${String(size).replace(/[^A-Za-z0-9]/g, '')}`, sizeGiB: size };
          session.tracker.volume({ id: volume.id, sizeGiB: 1 });
          await expectCode(`createVolume with sizeGiB ${JSON.stringify(size) ?? String(size)}`, ['INVALID_ARGUMENT'], () => r.createVolume!({ volume, signal: signal() }), RULES.createSize);
        }
        const { volume } = await fixture(session, 'zs');
        for (const size of [0, -1, 1.5, Number.NaN, 1048577]) {
          await expectCode(`extendVolume to ${String(size)} GiB`, ['INVALID_ARGUMENT'], () => r.extendVolume!({ volume, newSizeGiB: size, signal: signal() }), RULES.createSize);
        }
        await expectOk(`extendVolume(${volume.id}, 1 → 2 GiB)`, () => session.driver.extendVolume({ volume, newSizeGiB: 2 }), RULES.extend);
        const grown = { ...volume, sizeGiB: 2 };
        await expectCode(`extendVolume(${volume.id}) from 2 to 1 GiB (a shrink)`, ['INVALID_ARGUMENT'], () => r.extendVolume!({ volume: grown, newSizeGiB: 1, signal: signal() }), RULES.extendShrink);
        await verifyVolume(session, { ...grown, extents: [{ offset: 4096, length: 4096, fill: 7 }] }, `after refused size changes [${RULES.extendShrink}]`);
      }, session),
      await named('unknown ids answer not-found', async () => {
        const { volume, snapshot } = await fixture(session, 'u');
        const ghost = { id: `${volume.id}-ghost`, sizeGiB: 1 };
        const ghostSnap = { id: `${volume.id}-ghosts`, volumeId: volume.id, sizeGiB: 1 };
        const d = session.driver;
        await expectCode('extendVolume of an unknown volume', ['VOLUME_NOT_FOUND'], () => d.extendVolume({ volume: ghost, newSizeGiB: 2 }), RULES.volumeMissing);
        await expectCode('initializeConnection of an unknown volume', ['VOLUME_NOT_FOUND'], () => d.initializeConnection({ volume: ghost, connector: session.connector }), RULES.volumeMissing);
        await expectOk('deleteVolume of an unknown volume', () => d.deleteVolume({ volume: ghost }), RULES.deleteIdempotent);
        if (d.supports('snapshots')) {
          await expectOk('deleteSnapshot of an unknown snapshot', () => d.deleteSnapshot({ snapshot: ghostSnap }));
          const target = { id: `${volume.id}-hv`, sizeGiB: 1 };
          await expectCode('createVolumeFromSnapshot of an unknown snapshot', ['SNAPSHOT_NOT_FOUND'], () => d.createVolumeFromSnapshot({ volume: target, snapshot: ghostSnap }), RULES.snapshotMissing);
          await verifyGone(session, target.id, 'after a failed createVolumeFromSnapshot');
          await expectCode('createSnapshot of an unknown volume', ['VOLUME_NOT_FOUND'], () => d.createSnapshot({ snapshot: { id: `${volume.id}-hs`, volumeId: ghost.id, sizeGiB: 1 }, volume: ghost }), RULES.volumeMissing);
        }
        if (d.supports('clone')) {
          const target = { id: `${volume.id}-hc`, sizeGiB: 1 };
          await expectCode('createClonedVolume of an unknown source', ['VOLUME_NOT_FOUND'], () => d.createClonedVolume({ volume: target, source: ghost }), RULES.volumeMissing);
          await verifyGone(session, target.id, 'after a failed createClonedVolume');
        }
        if (d.supports('revertToSnapshot') && snapshot) {
          await expectCode('revertToSnapshot to an unknown snapshot', ['SNAPSHOT_NOT_FOUND'], () => d.revertToSnapshot({ volume, snapshot: ghostSnap }), RULES.snapshotMissing);
          await expectCode('revertToSnapshot of an unknown volume', ['VOLUME_NOT_FOUND', 'INVALID_ARGUMENT'], () => d.revertToSnapshot({ volume: ghost, snapshot }));
        }
      }, session),
      await named('repeated calls are idempotent', async () => {
        const { volume, snapshot } = await fixture(session, 'i');
        const d = session.driver;
        const data = { ...volume, extents: [{ offset: 4096, length: 4096, fill: 7 }] };
        await expectOk('extendVolume to the current size', () => d.extendVolume({ volume, newSizeGiB: volume.sizeGiB }));
        await expectCode('createVolume on an existing id', ['VOLUME_EXISTS'], () => d.createVolume({ volume: { id: volume.id, sizeGiB: 2 } }), RULES.createExists);
        await verifyVolume(session, data, 'after a refused duplicate create');
        const first = await attach(session, volume, 'first initializeConnection');
        const second = await attach(session, volume, 'second initializeConnection');
        await detach(session, volume, second, 'second connection');
        await detach(session, volume, first, 'first connection');
        if (snapshot) {
          await expectCode('createSnapshot on an existing id', ['SNAPSHOT_EXISTS'], () => d.createSnapshot({ snapshot, volume }), RULES.snapshotExists);
          await expectOk('deleteSnapshot', () => d.deleteSnapshot({ snapshot }));
          await expectOk('deleteSnapshot again', () => d.deleteSnapshot({ snapshot }));
          session.tracker.forgetSnapshot(snapshot.id);
        }
        await expectOk('deleteVolume', () => d.deleteVolume({ volume }));
        await expectOk('deleteVolume again', () => d.deleteVolume({ volume }), RULES.deleteIdempotent);
        await verifyGone(session, volume.id, 'after deleting twice');
        session.tracker.forgetVolume(volume.id);
      }, session),
    );
    for (const scenario of SCENARIOS) checks.push(await runScenario('negative', scenario, session));
    return { checks, skipped: [] };
  },
};

import fc from 'fast-check';
import { RULES } from '../rules.js';
import type { DriverVolume } from '../../core/contract/types.js';
import { isAshlarError, hasErrorCode } from '../../core/errors/ashlar-error.js';
import { withCleanup } from '../cleanup.js';
import type { Extent } from '../data.js';
import type { ConformanceCheckResult } from '../../core/generated/schemas.js';
import { runProperty } from '../property.js';
import { createsScenarioArb, parallelCreates } from './parallel-creates.js';
import type { Session } from '../session.js';
import { verifyGone, verifyVolume, writeExtent } from '../volume-io.js';
import { ConformanceViolation, expectOk } from '../violation.js';
import { propertySettings, type Suite, type SuiteContext, type SuiteOutcome } from './types.js';

const GiB = 1024 ** 3;

/** One scenario: how many clones, whether and when the source is deleted, what data it holds. */
interface Scenario {
  readonly clones: number;
  /** Index in the launch order at which the source delete starts, or -1 for none. */
  readonly deleteAt: number;
  readonly extents: readonly Extent[];
}

const scenarioArb = fc
  .record({
    clones: fc.integer({ min: 2, max: 6 }),
    deleteAt: fc.integer({ min: -1, max: 6 }),
    extents: fc.array(
      fc.record({ at: fc.noBias(fc.integer({ min: 0, max: 1023 })), sectors: fc.integer({ min: 1, max: 64 }), fill: fc.integer({ min: 1, max: 0x7fffffff }) }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ clones, deleteAt, extents }): Scenario => ({
    clones,
    deleteAt: Math.min(deleteAt, clones),
    extents: extents.map((e) => ({ offset: e.at * 1024 * 1024, length: e.sectors * 512, fill: e.fill })),
  }));

/**
 * Many clones of one source in parallel, with a delete of the source racing them; the
 * scheduler picks the order in which the calls are launched, the calls then really overlap.
 * Without a delete every clone must succeed; with one, a clone must either succeed with
 * exactly the source's data or fail leaving nothing behind. Clones stay isolated from each other.
 */
async function cloneRace(session: Session, s: fc.Scheduler, scenario: Scenario): Promise<void> {
  const prefix = session.newRunPrefix('c');
  const source = { id: `${prefix}-src`, sizeGiB: 1 };
  session.tracker.volume(source);
  session.tracker.count();
  await expectOk(`createVolume(${source.id})`, () => session.driver.createVolume({ volume: source }));
  for (const e of scenario.extents) await writeExtent(session, source, e);
  const clones: DriverVolume[] = [];
  const launches: Promise<{ id: string; error?: unknown }>[] = [];
  const launch = (label: string, call: () => Promise<unknown>, id: string): void => {
    launches.push(
      s.schedule(Promise.resolve(label), label).then(() =>
        call().then(
          () => ({ id }),
          (error: unknown) => ({ id, error }),
        ),
      ),
    );
  };
  for (let i = 0; i < scenario.clones; i++) {
    if (i === scenario.deleteAt) launch(`delete ${source.id}`, () => session.driver.deleteVolume({ volume: source }), source.id);
    const clone = { id: `${prefix}-c${i}`, sizeGiB: 1 };
    clones.push(clone);
    session.tracker.volume(clone);
    session.tracker.count();
    launch(`clone ${clone.id}`, () => session.driver.createClonedVolume({ volume: clone, source }), clone.id);
  }
  if (scenario.deleteAt === scenario.clones) launch(`delete ${source.id}`, () => session.driver.deleteVolume({ volume: source }), source.id);
  await s.waitAll();
  const outcomes = await Promise.all(launches);
  const ok = new Set<string>();
  for (const o of outcomes) {
    if (o.error === undefined) {
      ok.add(o.id);
      continue;
    }
    // The core never lets a delete race a clone of the same source (it holds a shared lock),
    // but a driver must still answer such a race with a coded error that says what
    // happened — the source is gone, or busy — and leave nothing behind (checked below).
    const raced = scenario.deleteAt >= 0 && o.id !== source.id;
    const acceptable = raced && hasErrorCode(o.error, 'VOLUME_NOT_FOUND', 'VOLUME_BUSY');
    if (!acceptable) {
      const code = isAshlarError(o.error) ? o.error.code : 'an uncoded error';
      const why = raced ? ' (a clone that loses a race with the delete of its source must fail with VOLUME_NOT_FOUND or VOLUME_BUSY)' : '';
      throw new ConformanceViolation(`${o.id === source.id ? 'delete of the source' : `clone ${o.id}`} failed under concurrency with ${code}: ${(o.error as Error).message}${why} [${RULES.concurrent}]`, o.error);
    }
  }
  const made = clones.filter((c) => ok.has(c.id));
  for (const c of clones) {
    if (ok.has(c.id)) await verifyVolume(session, { ...c, extents: scenario.extents }, `clone ${c.id} after the race [${RULES.concurrent}]`);
    else await verifyGone(session, c.id, `failed clone ${c.id} [${RULES.concurrent}]`);
  }
  // Isolation between siblings: a write to one clone shows in no other.
  for (const [i, c] of made.entries()) await writeExtent(session, c, { offset: GiB - 8192, length: 4096, fill: 1000 + i });
  for (const [i, c] of made.entries()) {
    await verifyVolume(session, { ...c, extents: [...scenario.extents, { offset: GiB - 8192, length: 4096, fill: 1000 + i }] }, `clone ${c.id} after writes to its siblings [${RULES.concurrent}]`);
  }
}

/** Concurrency: parallel creates, and parallel clones with a racing delete; interleavings from fast-check's scheduler. */
export const concurrencySuite: Suite = {
  name: 'concurrency',
  async run(ctx: SuiteContext): Promise<SuiteOutcome> {
    const { session } = ctx;
    const checks: ConformanceCheckResult[] = [];
    const replaying = (id: string): boolean => ctx.replay === undefined || ctx.replay.property === id;
    if (replaying('concurrency.parallel-creates')) {
      checks.push(
        await runProperty({
          id: 'concurrency.parallel-creates',
          name: 'parallel creates of different ids',
          numRuns: Math.max(3, Math.round(session.config.runs / 10)),
          ...propertySettings(ctx),
          build: (_, guard) =>
            fc.asyncProperty(fc.scheduler(), createsScenarioArb(session.driver.supports('snapshots')), guard.wrap(async (s, scenario) => {
              if (session.config.signal?.aborted) throw new ConformanceViolation('interrupted');
              const problems = await withCleanup(session, () => parallelCreates(session, s, scenario));
              if (problems.length > 0) throw new ConformanceViolation(problems.join('; '));
            })),
        }),
      );
    }
    if (!session.driver.supports('clone')) {
      return { checks: [...checks, { name: 'parallel clones with a racing delete', status: 'skipped', durationMs: 0, message: 'capability "clone" is not declared' }], skipped: [] };
    }
    if (!replaying('concurrency.clone-race')) return { checks, skipped: [] };
    const check = await runProperty({
      id: 'concurrency.clone-race',
      name: 'parallel clones with a racing delete',
      numRuns: Math.max(5, Math.round(session.config.runs / 5)),
      ...propertySettings(ctx),
      build: (_, guard) =>
        fc.asyncProperty(fc.scheduler(), scenarioArb, guard.wrap(async (s, scenario) => {
          if (session.config.signal?.aborted) throw new ConformanceViolation('interrupted');
          const problems = await withCleanup(session, () => cloneRace(session, s, scenario));
          if (problems.length > 0) throw new ConformanceViolation(problems.join('; '));
        })),
    });
    return { checks: [...checks, check], skipped: [] };
  },
};

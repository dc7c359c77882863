import type { DriverSnapshot, DriverVolume } from '../../core/contract/types.js';
import { isAshlarError } from '../../core/errors/ashlar-error.js';
import type { Extent } from '../data.js';
import type { Session } from '../session.js';
import { verifyVolume, writeExtent, type ExpectedSnapshot, type ExpectedVolume } from '../volume-io.js';
import { ConformanceViolation, describeError, expectOk, isViolation } from '../violation.js';

/**
 * Building blocks of the fixed scenarios: resources that remember what they should hold,
 * created through the wrapper (as the core would) and tracked for cleanup.
 */

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A scenario volume: what it should hold, updated as the scenario writes. */
export interface Vol {
  readonly id: string;
  sizeGiB: number;
  extents: Extent[];
  providerLocation?: string | undefined;
}

/** A scenario snapshot. */
export interface Snap {
  readonly id: string;
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly extents: readonly Extent[];
  readonly providerLocation?: string | undefined;
}

/** `length` bytes of distinct data at `offsetMiB` (sector aligned by construction). */
export function extent(offsetMiB: number, fill: number, length = 4096): Extent {
  return { offset: offsetMiB * MiB, length, fill };
}

/** An extent ending exactly at the end of a volume of `sizeGiB`. */
export function tailExtent(sizeGiB: number, fill: number): Extent {
  return { offset: sizeGiB * GiB - 8192, length: 8192, fill };
}

/** The driver-facing form of a scenario volume. */
export function dv(v: Vol): DriverVolume {
  const base = { id: v.id, sizeGiB: v.sizeGiB };
  return v.providerLocation !== undefined ? { ...base, providerLocation: v.providerLocation } : base;
}

/** The driver-facing form of a scenario snapshot. */
export function ds(s: Snap): DriverSnapshot {
  const base = { id: s.id, volumeId: s.volumeId, sizeGiB: s.sizeGiB };
  return s.providerLocation !== undefined ? { ...base, providerLocation: s.providerLocation } : base;
}

/** Creates a volume (tracked) and writes `extents` to it; `context` completes the call's description in a failure. */
export async function newVolume(session: Session, id: string, sizeGiB: number, extents: readonly Extent[] = [], extra: Partial<DriverVolume> = {}, context = ''): Promise<Vol> {
  const volume = { ...extra, id, sizeGiB };
  session.tracker.volume(volume);
  session.tracker.count();
  const res = await expectOk(`createVolume(${id}, ${sizeGiB} GiB)${context}`, () => session.driver.createVolume({ volume }));
  const v: Vol = { id, sizeGiB, extents: [], providerLocation: res.providerLocation };
  for (const e of extents) await write(session, v, e);
  return v;
}

/** Writes one extent and remembers it. */
export async function write(session: Session, v: Vol, e: Extent): Promise<void> {
  await writeExtent(session, dv(v), e);
  v.extents.push(e);
}

/** Takes a snapshot (tracked) of `v` as it is now. */
export async function newSnapshot(session: Session, id: string, v: Vol): Promise<Snap> {
  const snapshot = { id, volumeId: v.id, sizeGiB: v.sizeGiB };
  session.tracker.snapshot(snapshot);
  session.tracker.count();
  const res = await expectOk(`createSnapshot(${id} of ${v.id})`, () => session.driver.createSnapshot({ snapshot, volume: dv(v) }));
  return { ...snapshot, extents: [...v.extents], providerLocation: res.providerLocation };
}

/** What a check of a scenario volume expects; `probes` are writes that went to its relatives. */
export function expectVol(v: Vol, probes: readonly Extent[] = []): ExpectedVolume {
  return { ...v, probes };
}

/** What a check of a scenario snapshot expects. */
export function expectSnap(s: Snap, probes: readonly Extent[] = []): ExpectedSnapshot {
  return { ...s, probes };
}

/** Deletes a volume through the wrapper (must succeed) and forgets it. */
export async function removeVolume(session: Session, v: Vol, rule?: string): Promise<void> {
  await expectOk(`deleteVolume(${v.id})`, () => session.driver.deleteVolume({ volume: dv(v) }), rule);
  session.tracker.forgetVolume(v.id);
}

/** Deletes a snapshot through the wrapper (must succeed) and forgets it. */
export async function removeSnapshot(session: Session, s: Snap, rule?: string): Promise<void> {
  await expectOk(`deleteSnapshot(${s.id})`, () => session.driver.deleteSnapshot({ snapshot: ds(s) }), rule);
  session.tracker.forgetSnapshot(s.id);
}

/**
 * Checks that a volume holds one of several acceptable states (an interrupted operation
 * may have happened or not, never half).
 */
export async function verifyOneOf(session: Session, candidates: readonly ExpectedVolume[], what: string): Promise<number> {
  const misses: string[] = [];
  for (const [i, c] of candidates.entries()) {
    try {
      await verifyVolume(session, c, what);
      return i;
    } catch (err) {
      if (!isViolation(err)) throw err;
      misses.push(err.message);
    }
  }
  throw new ConformanceViolation(`${what}: the volume is in none of the acceptable states (an operation must happen completely or not at all): ${misses.join(' | ')}`);
}

/**
 * Runs a call whose signal is already aborted: it may succeed or fail with any coded
 * error (returns whether it succeeded), but it must settle within `promptMs` (the
 * session's abort grace); an uncoded error, or a call that never settles, is a violation too.
 */
export async function settles(what: string, call: () => Promise<unknown>, rule: string, promptMs: number): Promise<boolean> {
  const started = performance.now();
  let ok: boolean;
  try {
    await call();
    ok = true;
  } catch (err) {
    if (!isAshlarError(err) || err.code === 'DRIVER_CONTRACT_VIOLATION') throw new ConformanceViolation(`${what}: ${describeError(err)} [${rule}]`, err);
    ok = false;
  }
  const ms = performance.now() - started;
  if (ms > promptMs) throw new ConformanceViolation(`${what}: took ${(ms / 1000).toFixed(1)} s to ${ok ? 'succeed' : 'fail'} although its signal was aborted before the call [${rule}]`);
  return ok;
}

/** The raw driver's methods, for calls the wrapper would refuse or answer itself. */
export function rawDriver(session: Session): Record<string, (args: object) => Promise<unknown>> {
  return session.driver.raw as unknown as Record<string, (args: object) => Promise<unknown>>;
}

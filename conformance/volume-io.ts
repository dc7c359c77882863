import { connect, type VolumeConnection } from '../core/connectors/index.js';
import type { ConnectionInfo, DriverSnapshot, DriverVolume } from '../core/contract/types.js';
import { expectedBytes, extentBytes, type Extent } from './data.js';
import type { Session } from './session.js';
import { RULES } from './rules.js';
import { ConformanceViolation, expect, expectCode, expectOk } from './violation.js';

const GiB = 1024 ** 3;
/** How many of a volume's most recent writes a check reads back. */
const CHECKED_EXTENTS = 16;
const TAIL_PROBE = 4096;
/** How many writes to related volumes a check also reads back. */
const CHECKED_PROBES = 8;

/** What the model expects of one volume. */
export interface ExpectedVolume {
  readonly id: string;
  readonly sizeGiB: number;
  readonly extents: readonly Extent[];
  /**
   * Writes that went to OTHER volumes or snapshots sharing history with this one (its
   * clones, its source, volumes from the same snapshot...): their regions are read too and
   * must show this volume's own data, which is how shared blocks and connection info
   * pointing at the wrong volume show up.
   */
  readonly probes?: readonly Extent[] | undefined;
  /** Why the probes must not show through, for the message; defaults to shared history. */
  readonly probeReason?: string | undefined;
  /** The providerLocation the driver returned, passed back as the core would. */
  readonly providerLocation?: string | undefined;
}

/** Initializes a connection and opens the data path through the registered connector. */
export async function attach(session: Session, volume: DriverVolume, what: string): Promise<VolumeConnection> {
  const initialize = (): Promise<{ connectionInfo: ConnectionInfo }> => session.driver.initializeConnection({ volume, connector: session.connector });
  const { connectionInfo } = await expectOk(`${what}: initializeConnection(${volume.id})`, initialize, RULES.connection);
  const open = (): Promise<VolumeConnection> => connect(connectionInfo, { executor: session.instance.executor });
  return expectOk(`${what}: connecting to ${volume.id} (${connectionInfo.driver_volume_type})`, open, RULES.connection);
}

/** Detaches: closes the data path and terminates the connection. */
export async function detach(session: Session, volume: DriverVolume, conn: VolumeConnection, what: string): Promise<void> {
  await conn.close();
  await expectOk(`${what}: terminateConnection(${volume.id})`, () => session.driver.terminateConnection({ volume, connector: session.connector }));
}

/** Writes one extent through the data path. */
export async function writeExtent(session: Session, volume: DriverVolume, extent: Extent): Promise<void> {
  const conn = await attach(session, volume, 'write');
  try {
    await expectOk(`write ${extent.length} B at ${extent.offset} to ${volume.id}`, () => conn.write(extent.offset, extentBytes(extent)));
  } finally {
    await detach(session, volume, conn, 'write');
  }
}

/**
 * Checks that a volume exists with the expected size and contents: its recent writes read
 * back exactly (zeros where nothing was written), and its tail reads as expected.
 */
export async function verifyVolume(session: Session, expected: ExpectedVolume, what: string): Promise<void> {
  const volume = driverVolumeOf(expected);
  const conn = await attach(session, volume, what);
  try {
    const size = await conn.size();
    expect(size === expected.sizeGiB * GiB, `${what}: volume ${expected.id} should be ${expected.sizeGiB} GiB, the data path sees ${size / GiB} GiB`);
    for (const [offset, length, foreign] of regionsOf(expected)) {
      const got = await conn.read(offset, length);
      const want = expectedBytes(expected.extents, offset, length);
      if (!got.equals(want)) {
        const at = firstDifference(got, want);
        const why = !foreign
          ? ''
          : expected.probeReason !== undefined
            ? ` — ${expected.probeReason}`
            : ` — bytes written to a volume or snapshot that shares its history show through: blocks are shared or the connection info points elsewhere [${RULES.clone}; ${RULES.snapshotFrozen}]`;
        throw new ConformanceViolation(
          `${what}: volume ${expected.id} has wrong data at byte ${offset + at} (read ${length} B at ${offset}: got 0x${hex(got, at)}, expected 0x${hex(want, at)})${why}`,
        );
      }
    }
  } finally {
    await detach(session, volume, conn, what);
  }
}

/** Regions a verify reads: recent own writes, the probes (flagged foreign) and the tail. */
function regionsOf(expected: ExpectedVolume): [offset: number, length: number, foreign: boolean][] {
  const size = expected.sizeGiB * GiB;
  const own = expected.extents.slice(-CHECKED_EXTENTS);
  const regions: [number, number, boolean][] = own.map((e) => [e.offset, e.length, false]);
  for (const p of (expected.probes ?? []).slice(-CHECKED_PROBES)) {
    if (p.offset + p.length > size || own.some((e) => e.offset === p.offset && e.length === p.length)) continue;
    regions.push([p.offset, p.length, true]);
  }
  regions.push([size - TAIL_PROBE, TAIL_PROBE, false]);
  return regions;
}

/** Checks that a volume exists at the expected size, without reading data (cheap). */
export async function verifyExists(session: Session, expected: ExpectedVolume, what: string): Promise<void> {
  const volume = driverVolumeOf(expected);
  const conn = await attach(session, volume, what);
  try {
    const size = await conn.size();
    expect(size === expected.sizeGiB * GiB, `${what}: volume ${expected.id} should be ${expected.sizeGiB} GiB, the data path sees ${size / GiB} GiB`);
  } finally {
    await detach(session, volume, conn, what);
  }
}

/** What a snapshot is expected to hold. */
export interface ExpectedSnapshot {
  readonly id: string;
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly extents: readonly Extent[];
  readonly probes?: readonly Extent[] | undefined;
  readonly providerLocation?: string | undefined;
}

let readers = 0;

/**
 * Checks a snapshot's contents the only way the contract allows: a temporary volume
 * created from it (at the snapshot's size) is read back and deleted again.
 */
export async function verifySnapshot(session: Session, snapshot: ExpectedSnapshot, what: string): Promise<void> {
  // Ids stay within the 64 characters of the contract even for a 64-character snapshot id.
  const volume = { id: `${snapshot.id.slice(0, 56)}-r${(readers++).toString(36)}`, sizeGiB: snapshot.sizeGiB };
  const driverSnapshot = { id: snapshot.id, volumeId: snapshot.volumeId, sizeGiB: snapshot.sizeGiB, ...(snapshot.providerLocation !== undefined ? { providerLocation: snapshot.providerLocation } : {}) };
  session.tracker.volume(volume);
  session.tracker.count();
  const res = await expectOk(`${what}: reading snapshot ${snapshot.id} through createVolumeFromSnapshot(${volume.id})`, () =>
    session.driver.createVolumeFromSnapshot({ volume, snapshot: driverSnapshot }),
  );
  await verifyVolume(session, { ...volume, extents: snapshot.extents, probes: snapshot.probes, providerLocation: res.providerLocation }, `${what}: snapshot ${snapshot.id} (read through volume ${volume.id})`);
  const created = res.providerLocation !== undefined ? { ...volume, providerLocation: res.providerLocation } : volume;
  await expectOk(`${what}: deleteVolume(${volume.id}) of the snapshot reader`, () => session.driver.deleteVolume({ volume: created }));
  session.tracker.forgetVolume(volume.id);
}

/**
 * Checks that a snapshot is gone: a volume from it (id `probeId`, tracked in case the
 * driver makes one anyway) fails SNAPSHOT_NOT_FOUND.
 */
export async function verifySnapshotGone(session: Session, snapshot: DriverSnapshot, probeId: string, what: string): Promise<void> {
  const volume = { id: probeId, sizeGiB: snapshot.sizeGiB };
  session.tracker.volume(volume);
  await expectCode(`${what}: createVolumeFromSnapshot(${probeId}) of deleted snapshot ${snapshot.id}`, ['SNAPSHOT_NOT_FOUND'], () =>
    session.driver.createVolumeFromSnapshot({ volume, snapshot }), RULES.snapshotDelete,
  );
}

/** The driver-facing form of an expected volume. */
function driverVolumeOf(expected: ExpectedVolume): DriverVolume {
  const base = { id: expected.id, sizeGiB: expected.sizeGiB };
  return expected.providerLocation !== undefined ? { ...base, providerLocation: expected.providerLocation } : base;
}

/** Checks that a volume is gone: initializing a connection to it fails VOLUME_NOT_FOUND. */
export async function verifyGone(session: Session, id: string, what: string): Promise<void> {
  await expectCode(`${what}: initializeConnection on deleted volume ${id}`, ['VOLUME_NOT_FOUND'], () =>
    session.driver.initializeConnection({ volume: { id, sizeGiB: 1 }, connector: session.connector }), RULES.volumeMissing,
  );
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function hex(buf: Buffer, at: number): string {
  return buf.subarray(at, at + 8).toString('hex') || '(nothing)';
}

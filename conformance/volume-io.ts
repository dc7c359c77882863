import { connect, type VolumeConnection } from '../core/connectors/index.js';
import type { DriverVolume } from '../core/contract/types.js';
import { expectedBytes, extentBytes, type Extent } from './data.js';
import type { Session } from './session.js';
import { ConformanceViolation, expect, expectCode, expectOk } from './violation.js';

const GiB = 1024 ** 3;
/** How many of a volume's most recent writes a check reads back. */
const CHECKED_EXTENTS = 16;
const TAIL_PROBE = 4096;

/** What the model expects of one volume. */
export interface ExpectedVolume {
  readonly id: string;
  readonly sizeGiB: number;
  readonly extents: readonly Extent[];
}

/** Initializes a connection and opens the data path through the registered connector. */
export async function attach(session: Session, volume: DriverVolume, what: string): Promise<VolumeConnection> {
  const { connectionInfo } = await expectOk(`${what}: initializeConnection(${volume.id})`, () =>
    session.driver.initializeConnection({ volume, connector: session.connector }),
  );
  return expectOk(`${what}: connecting to ${volume.id} (${connectionInfo.driver_volume_type})`, () =>
    connect(connectionInfo, { executor: session.instance.executor }),
  );
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
  const volume = { id: expected.id, sizeGiB: expected.sizeGiB };
  const conn = await attach(session, volume, what);
  try {
    const size = await conn.size();
    expect(size === expected.sizeGiB * GiB, `${what}: volume ${expected.id} should be ${expected.sizeGiB} GiB, the data path sees ${size / GiB} GiB`);
    const regions = expected.extents.slice(-CHECKED_EXTENTS).map((e) => [e.offset, e.length] as const);
    regions.push([expected.sizeGiB * GiB - TAIL_PROBE, TAIL_PROBE]);
    for (const [offset, length] of regions) {
      const got = await conn.read(offset, length);
      const want = expectedBytes(expected.extents, offset, length);
      if (!got.equals(want)) {
        const at = firstDifference(got, want);
        throw new ConformanceViolation(
          `${what}: volume ${expected.id} has wrong data at byte ${offset + at} (read ${length} B at ${offset}: got 0x${hex(got, at)}, expected 0x${hex(want, at)})`,
        );
      }
    }
  } finally {
    await detach(session, volume, conn, what);
  }
}

/** Checks that a volume is gone: initializing a connection to it fails VOLUME_NOT_FOUND. */
export async function verifyGone(session: Session, id: string, what: string): Promise<void> {
  await expectCode(`${what}: initializeConnection on deleted volume ${id}`, ['VOLUME_NOT_FOUND'], () =>
    session.driver.initializeConnection({ volume: { id, sizeGiB: 1 }, connector: session.connector }),
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

/**
 * ontap driver benchmark against a throwaway simulator cluster (scripts/ontap-sim).
 *
 *   npx tsx bench/ontap-overhead.ts [--iterations 7]
 *
 * 1. Overhead: each driver operation (through the runtime wrapper, as the core calls it)
 *    against the minimal REST call(s) with the same effect made directly with the same
 *    REST client by a caller that already knows every uuid; median of N; ratio = driver /
 *    direct. The difference is what the driver adds: lookups by name (it keeps no state),
 *    validation, duplicate checks, error mapping.
 * 2. Job polling: snapshot create and delete answer 202 with a job. The same request is
 *    timed with the client's polling (`return_timeout=0`, poll from 25 ms doubling) and
 *    with the server holding the answer until the job ends (`return_timeout=30`, one round
 *    trip): the difference is the polling overhead.
 * Figures are wall-clock on a shared machine: the ratios (measured in the same run) are
 * the result; the load average is printed with them.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { DriverInstance } from '../core/plugins/index.js';
import { OntapRestClient, type Json } from '../drivers/ontap/rest-client.js';
import { ontapInstance } from '../test/drivers/ontap/driver-fixture.js';
import { ADMIN, FLEXVOLS, SVM, startCluster, stopCluster, type SimCluster } from '../test/drivers/ontap/simulator-fixture.js';

const GiB = 1024 ** 3;
const i = process.argv.indexOf('--iterations');
const ITERATIONS = i >= 0 ? Number(process.argv[i + 1]) : 7;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`.padStart(10);
const id = (): string => `b${randomBytes(6).toString('hex')}`;
const signal = (): AbortSignal => AbortSignal.timeout(120_000);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The admin's direct REST calls, by uuid. */
class Direct {
  constructor(readonly client: OntapRestClient) {}
  async flexvolUuid(name: string): Promise<string> {
    const [v] = await this.client.list<{ uuid: string }>('/api/storage/volumes', { name, 'svm.name': SVM, fields: 'uuid' }, signal());
    return v!.uuid;
  }
  async createLun(name: string, extra: Json = {}): Promise<string> {
    const out = await this.client.send('POST', '/api/storage/luns', { return_records: true }, { svm: { name: SVM }, name: `/vol/${FLEXVOLS[0]}/${name}`, os_type: 'linux', space: { size: GiB }, ...extra }, signal());
    return ((out.records as { uuid: string }[])[0]!).uuid;
  }
  resize(uuid: string, bytes: number): Promise<Json> {
    return this.client.send('PATCH', `/api/storage/luns/${uuid}`, {}, { space: { size: bytes } }, signal());
  }
  deleteLun(uuid: string): Promise<Json> {
    return this.client.send('DELETE', `/api/storage/luns/${uuid}`, { allow_delete_while_mapped: true }, undefined, signal());
  }
  snapshot(flexvol: string, name: string, returnTimeout = 0): Promise<Json> {
    return this.client.send('POST', `/api/storage/volumes/${flexvol}/snapshots`, { return_timeout: returnTimeout }, { name }, signal());
  }
  async deleteSnapshot(flexvol: string, name: string, returnTimeout = 0): Promise<Json> {
    const [s] = await this.client.list<{ uuid: string }>(`/api/storage/volumes/${flexvol}/snapshots`, { name, fields: 'uuid' }, signal());
    return this.client.send('DELETE', `/api/storage/volumes/${flexvol}/snapshots/${s!.uuid}`, { return_timeout: returnTimeout }, undefined, signal());
  }
}

async function overhead(ontap: DriverInstance, direct: Direct): Promise<void> {
  const d = ontap.driver;
  const flexvol = await direct.flexvolUuid(FLEXVOLS[0]);
  const rows: [string, number[], number[]][] = ['create', 'extend', 'snapshot', 'clone', 'delete snapshot', 'delete'].map((n) => [n, [], []]);
  const add = (row: number, driver: number, raw: number): void => {
    rows[row]![1].push(driver);
    rows[row]![2].push(raw);
  };
  for (let n = 0; n < ITERATIONS; n++) {
    const v = { id: id(), sizeGiB: 1 };
    const snap = { id: id(), volumeId: v.id, sizeGiB: 1 };
    const clone = { id: id(), sizeGiB: 1 };
    const lun = id();
    let lunUuid = '';
    let cloneUuid = '';
    add(0, await timed(() => d.createVolume({ volume: v })), await timed(async () => (lunUuid = await direct.createLun(lun))));
    add(1, await timed(() => d.extendVolume({ volume: v, newSizeGiB: 2 })), await timed(() => direct.resize(lunUuid, 2 * GiB)));
    add(2, await timed(() => d.createSnapshot({ snapshot: snap, volume: { ...v, sizeGiB: 2 } })), await timed(() => direct.snapshot(flexvol, `raw${lun}`)));
    add(3, await timed(() => d.createClonedVolume({ volume: { ...clone, sizeGiB: 2 }, source: { ...v, sizeGiB: 2 } })), await timed(async () => (cloneUuid = await direct.createLun(`c${lun}`, { clone: { source: { name: `/vol/${FLEXVOLS[0]}/${lun}` } }, space: { size: 2 * GiB } }))));
    add(4, await timed(() => d.deleteSnapshot({ snapshot: snap })), await timed(() => direct.deleteSnapshot(flexvol, `raw${lun}`)));
    add(5, await timed(async () => {
      await d.deleteVolume({ volume: { ...clone, sizeGiB: 2 } });
      await d.deleteVolume({ volume: { ...v, sizeGiB: 2 } });
    }), await timed(async () => {
      await direct.deleteLun(cloneUuid);
      await direct.deleteLun(lunUuid);
    }));
  }
  console.log(`\n1. driver operation vs the same REST calls made directly (median of ${ITERATIONS}, load ${loadavg()[0]!.toFixed(2)})`);
  console.log(`${'operation'.padEnd(18)}${'driver'.padStart(10)}${'direct'.padStart(10)}   ratio`);
  for (const [name, drv, raw] of rows) console.log(`${name.padEnd(18)}${ms(median(drv))}${ms(median(raw))}   ${(median(drv) / median(raw)).toFixed(2)}`);
}

async function jobPolling(direct: Direct): Promise<void> {
  const flexvol = await direct.flexvolUuid(FLEXVOLS[1]);
  await direct.createLun(`jobs${id()}`).catch(() => undefined);
  const polled: number[] = [];
  const held: number[] = [];
  const delPolled: number[] = [];
  const delHeld: number[] = [];
  for (let n = 0; n < ITERATIONS; n++) {
    const a = `p${id()}`;
    const b = `h${id()}`;
    polled.push(await timed(() => direct.snapshot(flexvol, a, 0)));
    held.push(await timed(() => direct.snapshot(flexvol, b, 30)));
    delPolled.push(await timed(() => direct.deleteSnapshot(flexvol, a, 0)));
    delHeld.push(await timed(() => direct.deleteSnapshot(flexvol, b, 30)));
  }
  console.log(`\n2. job polling: 202 + polling vs the server holding the answer (return_timeout=30), median of ${ITERATIONS}, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`snapshot create   polled ${ms(median(polled))}   held ${ms(median(held))}   overhead ${ms(median(polled) - median(held))}`);
  console.log(`snapshot delete   polled ${ms(median(delPolled))}   held ${ms(median(delHeld))}   overhead ${ms(median(delPolled) - median(delHeld))}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  let cluster: SimCluster | undefined;
  try {
    cluster = await startCluster('bench');
    console.log(`simulator up in ${(performance.now() - started).toFixed(0)} ms (${cluster.url})`);
    const ontap = await ontapInstance(cluster);
    const direct = new Direct(new OntapRestClient({ hostname: '127.0.0.1', port: cluster.port, transport: 'http', username: ADMIN.name, password: ADMIN.password, svm: SVM, iscsiPort: cluster.iscsiPort }, { requestTimeoutMs: 60_000, jobTimeoutMs: 120_000 }));
    await overhead(ontap, direct);
    await jobPolling(direct);
    await ontap.driver.close();
  } finally {
    await stopCluster(cluster);
  }
}

await main();

import { expect } from 'chai';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../../../service/db/connect.js';
import { totalOrder, type KeysetSort } from '../../../service/db/keyset/keyset-page.js';
import { countVolumes, volumePage, type TimeComparison, type VolumeFilter } from '../../../service/db/repositories/volume-listing.js';
import { insertVolumes } from '../../../service/db/repositories/volumes.js';
import type { Database, VolumesTable } from '../../../service/db/tables.js';
import { forEachDatabase } from '../databases/each-database.js';
import { openTestDatabase } from './open-test-database.js';

/**
 * Issue 16: volume lists page in SQL (keyset after the marker, filters and metadata in
 * WHERE, with_count by COUNT). A naive reference — filter every row in memory, sort with
 * NULL first, slice after the marker — must give the same pages, the same "more" and the
 * same count for random projects, filters, orders and page sizes, on every database.
 */

const SORT_KEYS = ['id', 'name', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'bootable', 'volume_type_id', 'project_id'] as const;
const TIMES = ['2026-01-01T00:00:00.000000', '2026-01-01T00:00:01.000000', '2026-01-02T00:00:00.000000'];
// Lowercase letters only: every database's collation orders them as JavaScript does.
const text = (chars: string[]) => fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 3 });

const volumeArb = () =>
  fc.record({
    project_id: fc.constantFrom('pa', 'pb'),
    name: fc.option(text(['a', 'b']), { nil: null }),
    status: fc.constantFrom('available', 'error', 'in-use'),
    size: fc.integer({ min: 1, max: 3 }),
    availability_zone: fc.constantFrom('nova', 'zz'),
    volume_type_id: fc.option(fc.constantFrom('t1', 't2'), { nil: null }),
    bootable: fc.integer({ min: 0, max: 1 }),
    created_at: fc.constantFrom(...TIMES),
    updated_at: fc.option(fc.constantFrom(...TIMES), { nil: null }),
    metadata: fc.dictionary(fc.constantFrom('k', 'j'), fc.constantFrom('x', 'y')),
  }).map((r): Omit<VolumesTable, 'id'> => ({
    ...r,
    user_id: 'u',
    description: null,
    attach_status: 'detached',
    host: null,
    snapshot_id: null,
    source_volid: null,
    multiattach: 0,
    provider_location: null,
    metadata: JSON.stringify(r.metadata),
    migration_status: null,
  })) as fc.Arbitrary<Omit<VolumesTable, 'id'>>;

const filterArb: fc.Arbitrary<VolumeFilter> = fc.record(
  {
    projectId: fc.constantFrom('pa', 'pb'),
    status: fc.constantFrom('available', 'error'),
    name: text(['a', 'b']),
    nameContains: fc.constantFrom('a', 'b'),
    size: fc.integer({ min: 1, max: 3 }),
    bootable: fc.boolean(),
    metadata: fc.dictionary(fc.constantFrom('k', 'j'), fc.constantFrom('x', 'y'), { minKeys: 1 }),
    times: fc.array(fc.record({ key: fc.constantFrom('created_at' as const, 'updated_at' as const), op: fc.constantFrom('>' as const, '>=' as const, '<' as const, '<=' as const, '=' as const, '!=' as const), value: fc.constantFrom(...TIMES) }), { maxLength: 1 }),
  },
  { requiredKeys: [] },
);

const sortArb: fc.Arbitrary<KeysetSort[]> = fc.uniqueArray(fc.record({ key: fc.constantFrom(...SORT_KEYS), dir: fc.constantFrom('asc' as const, 'desc' as const) }), { selector: (s) => s.key, minLength: 1, maxLength: 3 });

/** NULL before every value, as the lists order on every database. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return (a as string | number) < (b as string | number) ? -1 : 1;
}

function timeMatches(v: string | null, t: TimeComparison): boolean {
  if (v === null) return false; // SQL: a comparison with NULL is never true
  const c = compare(v, t.value);
  return { '>': c > 0, '>=': c >= 0, '<': c < 0, '<=': c <= 0, '=': c === 0, '!=': c !== 0 }[t.op];
}

/** The naive reference: every row filtered and sorted in memory. */
function reference(rows: readonly VolumesTable[], f: VolumeFilter, sort: readonly KeysetSort[]): VolumesTable[] {
  const order = totalOrder(sort);
  return rows
    .filter((r) => f.projectId === undefined || r.project_id === f.projectId)
    .filter((r) => f.status === undefined || r.status === f.status)
    .filter((r) => f.name === undefined || r.name === f.name)
    .filter((r) => f.nameContains === undefined || (r.name ?? '').includes(f.nameContains) && r.name !== null)
    .filter((r) => f.size === undefined || r.size === f.size)
    .filter((r) => f.bootable === undefined || r.bootable === (f.bootable ? 1 : 0))
    .filter((r) => Object.entries(f.metadata ?? {}).every(([k, v]) => (JSON.parse(r.metadata) as Record<string, string>)[k] === v))
    .filter((r) => (f.times ?? []).every((t) => timeMatches(r[t.key], t)))
    .sort((a, b) => {
      for (const s of order) {
        const c = compare(a[s.key as keyof VolumesTable], b[s.key as keyof VolumesTable]);
        if (c !== 0) return s.dir === 'asc' ? c : -c;
      }
      return 0;
    });
}

forEachDatabase('service: volume lists page in SQL as the naive reference does (issue 16)', function (database) {
  this.timeout(600_000);
  let s: ServiceDatabase & { dir: string } | undefined;
  let db: Kysely<Database>;
  before(async () => {
    s = await openTestDatabase(database);
    db = s.db;
  });
  after(async () => s?.close());

  it('walks every page after each marker, counts, and refuses a marker outside the filter', async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(volumeArb(), { maxLength: 24 }), fc.array(fc.tuple(filterArb, sortArb, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 4 }), async (shapes, queries) => {
        await db.deleteFrom('volumes').execute();
        const rows: VolumesTable[] = shapes.map((r) => ({ ...r, id: `00000000-0000-0000-0000-${String(++serial).padStart(12, '0')}` }));
        await insertVolumes(db, rows);
        for (const [filter, sort, limit] of queries) {
          const want = reference(rows, filter, sort);
          const label = JSON.stringify({ filter, sort, limit });
          expect(await countVolumes(db, filter), label).to.equal(want.length);
          let marker: string | undefined;
          for (let start = 0; ; start += limit) {
            const page = await volumePage(db, filter, { sort, limit, marker });
            expect(page, label).to.not.equal(undefined);
            expect(page!.rows.map((r) => r.id), `${label} from ${start}`).to.deep.equal(want.slice(start, start + limit).map((r) => r.id));
            expect(page!.more, `${label} more after ${start}`).to.equal(start + limit < want.length);
            if (!page!.more) break;
            marker = page!.rows.at(-1)!.id;
          }
          const outside = rows.find((r) => !want.includes(r));
          if (outside) expect(await volumePage(db, filter, { sort, limit, marker: outside.id }), label).to.equal(undefined);
        }
      }),
      { numRuns: database.kind === 'sqlite' ? 60 : 25 },
    );
  });

  it('answers an empty page for limit 0 and still checks the marker', async () => {
    await db.deleteFrom('volumes').execute();
    expect(await volumePage(db, {}, { sort: [], limit: 0 })).to.deep.equal({ rows: [], more: false });
    expect(await volumePage(db, {}, { sort: [], limit: 0, marker: 'nope' })).to.equal(undefined);
  });
});

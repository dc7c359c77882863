import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { ConformanceCheckResult, ConformanceReport, ConformanceSuiteName } from '../../core/generated/schemas.js';
import { loadPlugin } from '../../core/plugins/loader.js';
import { prepareTarget } from '../../conformance/run-file.js';
import { runConformance } from '../../conformance/runner.js';

const SEED = 42;

/** Runs the library the way the CLI does: a temporary directory, removed afterwards. */
async function certify(spec: string, options: { runs: number; only?: ConformanceSuiteName[]; callTimeoutMs?: number | undefined }): Promise<ConformanceReport> {
  const plugin = await loadPlugin(spec);
  const target = await prepareTarget(plugin, undefined);
  try {
    return await runConformance({
      plugin,
      driverConfig: target.driverConfig,
      watchDirectories: target.watchDirectories,
      seed: SEED,
      runs: options.runs,
      only: options.only,
      callTimeoutMs: options.callTimeoutMs,
    });
  } finally {
    await target.release();
  }
}

function failures(report: ConformanceReport): { property: string; message: string }[] {
  const out = report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'failed').map((c) => ({ property: `${s.name}/${c.name}`, message: c.message ?? '' })));
  if (report.cleanup.status === 'failed') out.push({ property: 'cleanup', message: report.cleanup.leftovers.join('; ') });
  return out;
}

function checkNamed(report: ConformanceReport, property: string): ConformanceCheckResult | undefined {
  const [suite, ...name] = property.split('/');
  return report.suites.find((s) => s.name === suite)?.checks.find((c) => c.name === name.join('/'));
}

interface Broken {
  readonly fixture: string;
  /** The suite that must catch it (the others are not run, to keep the test short). */
  readonly only: ConformanceSuiteName;
  readonly runs: number;
  /** The check that must fail (`suite/check name`), and what its message must say. */
  readonly property: string;
  readonly message: RegExp;
  /** A shorter driver-call time limit, for a hang only the limit can end. */
  readonly callTimeoutMs?: number;
}

const MODEL = 'lifecycle/model';
const POINT_IN_TIME = 'lifecycle/snapshots are point-in-time copies';
const CLONES = 'lifecycle/clones are independent copies';
const REVERT = 'lifecycle/revert restores the snapshot, keeps the size and the snapshots';
const DELETE_WITH_SNAPSHOTS = 'lifecycle/deleting a volume with snapshots follows the manifest';
const RESTART = 'lifecycle/state survives a restart';
const DUPLICATES = 'negative/duplicate ids are refused and leave the existing resource untouched';
const UNKNOWN = 'negative/unknown ids answer not-found';
const MANAGE = 'negative/manage and unmanage keep data';
const STATS = 'static/stats valid and consistent';
const ABORT = 'static/aborted calls settle promptly and leave nothing half-done';

const BROKEN: readonly Broken[] = [
  // Issue #3's twelve.
  { fixture: 'snapshot-shares-blocks', only: 'lifecycle', runs: 100, property: MODEL, message: /snapshot|smaller than its source|wrong data/ },
  { fixture: 'delete-not-idempotent', only: 'lifecycle', runs: 30, property: MODEL, message: /already deleted volume \(must be idempotent\).*VOLUME_NOT_FOUND/ },
  { fixture: 'extend-no-grow', only: 'lifecycle', runs: 30, property: MODEL, message: /after extendVolume.*: .* should be \d+ GiB, the data path sees/ },
  { fixture: 'clone-partial', only: 'lifecycle', runs: 30, property: MODEL, message: /clone of .* has wrong data/ },
  { fixture: 'wrong-not-found-code', only: 'lifecycle', runs: 30, property: MODEL, message: /expected VOLUME_NOT_FOUND, got BACKEND_ERROR/ },
  { fixture: 'stats-free-over-total', only: 'static', runs: 1, property: STATS, message: /free_capacity_gb .* exceeds total_capacity_gb/ },
  { fixture: 'leak-on-delete', only: 'lifecycle', runs: 30, property: MODEL, message: /left over after cleanup: .*snapshot-.*\.json/ },
  { fixture: 'state-lost-on-restart', only: 'lifecycle', runs: 30, property: MODEL, message: /after restart/ },
  { fixture: 'clone-race', only: 'concurrency', runs: 30, property: 'concurrency/parallel clones with a racing delete', message: /clone|wrong data|failed under concurrency/ },
  { fixture: 'path-traversal', only: 'negative', runs: 10, property: 'negative/hostile names are refused', message: /createVolume with id .*: expected INVALID_ARGUMENT, but it succeeded/ },
  { fixture: 'second-initialize-broken', only: 'lifecycle', runs: 30, property: MODEL, message: /connecting to .*INVALID_ARGUMENT.*device_path/ },
  { fixture: 'revert-wrong-snapshot', only: 'lifecycle', runs: 5, property: REVERT, message: /after revert to .* has wrong data/ },
  // Creates.
  { fixture: 'create-retry-succeeds', only: 'negative', runs: 10, property: DUPLICATES, message: /createVolume\(.*, 2 GiB\) of an existing 2 GiB volume: expected VOLUME_EXISTS, but it succeeded/ },
  { fixture: 'create-overwrites', only: 'negative', runs: 10, property: DUPLICATES, message: /of an existing 2 GiB volume: expected VOLUME_EXISTS, but it succeeded/ },
  { fixture: 'exists-check-in-memory', only: 'lifecycle', runs: 5, property: RESTART, message: /after a restart: expected VOLUME_EXISTS, but it succeeded/ },
  { fixture: 'temp-leak-on-failure', only: 'negative', runs: 10, property: DUPLICATES, message: /left over after cleanup: .*\/tmp\/create-/ },
  { fixture: 'create-recycles-images', only: 'lifecycle', runs: 5, property: 'lifecycle/new volumes read as zeros', message: /data of the deleted volume .* shows through/ },
  { fixture: 'rejects-valid-ids', only: 'negative', runs: 10, property: 'negative/valid ids at the edges of the pattern work', message: /expected success, got INVALID_ARGUMENT/ },
  { fixture: 'create-shared-temp', only: 'concurrency', runs: 50, property: 'concurrency/parallel creates of different ids', message: /while other creates ran|created alongside|written in every volume created alongside/ },
  // Extend.
  { fixture: 'extend-loses-data', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /after extendVolume .*has wrong data/ },
  { fixture: 'extend-shrinks', only: 'lifecycle', runs: 30, property: MODEL, message: /to a smaller size: expected INVALID_ARGUMENT, but it succeeded/ },
  { fixture: 'extend-breaks-snapshots', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /after its volume was extended.*SNAPSHOT_NOT_FOUND/ },
  { fixture: 'extend-swallows-errors', only: 'negative', runs: 10, property: 'negative/a 1 PiB create or extend is real or refused', message: /after extendVolume to 1 PiB reported success.*should be 1048576 GiB/ },
  // Delete.
  { fixture: 'delete-prefix-match', only: 'negative', runs: 10, property: 'negative/deletes touch only the named resource', message: /after deleteVolume\(.*nothing else.*VOLUME_NOT_FOUND/ },
  { fixture: 'delete-ignores-busy', only: 'lifecycle', runs: 5, property: DELETE_WITH_SNAPSHOTS, message: /after a restart: expected VOLUME_BUSY, but it succeeded/ },
  { fixture: 'delete-cascades-snapshots', only: 'lifecycle', runs: 5, property: DELETE_WITH_SNAPSHOTS, message: /after its volume was deleted.*stay usable.*SNAPSHOT_NOT_FOUND/ },
  // Snapshots and revert.
  { fixture: 'snapshot-lazy', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /after writes to its volume.*has wrong data/ },
  { fixture: 'snapshot-delete-hits-origin', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /after deleteSnapshot\(/ },
  { fixture: 'snapshot-delete-noop', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /of deleted snapshot .*: expected SNAPSHOT_NOT_FOUND, but it succeeded/ },
  { fixture: 'snapshots-in-memory', only: 'lifecycle', runs: 5, property: RESTART, message: /after a restart.*SNAPSHOT_NOT_FOUND/ },
  { fixture: 'revert-noop', only: 'lifecycle', runs: 5, property: REVERT, message: /after revert to .*has wrong data/ },
  { fixture: 'revert-shrinks', only: 'lifecycle', runs: 5, property: REVERT, message: /should be 2 GiB, the data path sees 1 GiB/ },
  { fixture: 'revert-drops-snapshot', only: 'lifecycle', runs: 5, property: REVERT, message: /SNAPSHOT_NOT_FOUND/ },
  { fixture: 'revert-not-supported-after-extend', only: 'lifecycle', runs: 5, property: REVERT, message: /got NOT_SUPPORTED.*a declared capability never answers NOT_SUPPORTED/ },
  // Clones and volumes from snapshots.
  { fixture: 'clone-ignores-size', only: 'lifecycle', runs: 5, property: CLONES, message: /should be 2 GiB, the data path sees 1 GiB/ },
  { fixture: 'clone-fast-path-shares', only: 'lifecycle', runs: 5, property: CLONES, message: /has wrong data.*shares its history/ },
  { fixture: 'vfs-shares-with-snapshot', only: 'lifecycle', runs: 5, property: POINT_IN_TIME, message: /has wrong data.*shares its history/ },
  { fixture: 'clone-accepts-smaller', only: 'negative', runs: 10, property: 'negative/sizes of clones and volumes from snapshots are checked', message: /createClonedVolume of the 2 GiB .* with sizeGiB \d+: expected INVALID_ARGUMENT, but it succeeded/ },
  { fixture: 'connection-follows-provider-location', only: 'lifecycle', runs: 5, property: CLONES, message: /clone .*(should be 2 GiB, the data path sees 1 GiB|shares its history)/ },
  // Stats.
  { fixture: 'stats-stale', only: 'static', runs: 1, property: 'static/stats follow creates and deletes', message: /provisioned_capacity_gb went .* while 5 GiB of volumes were created/ },
  { fixture: 'stats-provisioned-in-mib', only: 'static', runs: 1, property: 'static/stats follow creates and deletes', message: /provisioned_capacity_gb went .* while 5 GiB of volumes were created/ },
  { fixture: 'stats-infinite-free', only: 'static', runs: 1, property: STATS, message: /free_capacity_gb is Infinity; a number must be finite/ },
  { fixture: 'stats-duplicate-pools', only: 'static', runs: 1, property: STATS, message: /pool name "backend" is reported twice/ },
  { fixture: 'stats-no-driver-version', only: 'static', runs: 1, property: STATS, message: /driver_version/ },
  { fixture: 'stats-reserved-out-of-range', only: 'static', runs: 1, property: STATS, message: /reserved_percentage: must be >= 0/ },
  // Errors.
  { fixture: 'uncoded-errors', only: 'negative', runs: 10, property: UNKNOWN, message: /uncoded error.*ENOENT.*carries a code from core\/errors\/registry\.ts/ },
  { fixture: 'snapshot-not-found-code', only: 'negative', runs: 10, property: UNKNOWN, message: /expected SNAPSHOT_NOT_FOUND, got VOLUME_NOT_FOUND/ },
  // Abort, hangs and leftovers.
  { fixture: 'hang-ignores-abort', only: 'static', runs: 1, property: ABORT, message: /createSnapshot.*ignored its aborted AbortSignal: still pending/ },
  { fixture: 'hang-extend-with-snapshots', only: 'lifecycle', runs: 5, callTimeoutMs: 3000, property: POINT_IN_TIME, message: /extendVolume.*got TIMEOUT: Operation extendVolume timed out after 3000 ms/ },
  { fixture: 'retry-ignores-abort', only: 'static', runs: 1, property: ABORT, message: /createClonedVolume.*(ignored its aborted AbortSignal|although its signal was aborted)/ },
  { fixture: 'clone-temp-leak-on-abort', only: 'static', runs: 1, property: ABORT, message: /left over after cleanup: .*\/tmp\/clone-/ },
  { fixture: 'restart-leaks-lockfile', only: 'lifecycle', runs: 5, property: RESTART, message: /left over after cleanup: .*instance-.*\.lock/ },
  // Connections.
  { fixture: 'terminate-not-idempotent', only: 'lifecycle', runs: 30, property: MODEL, message: /terminateConnection\(.*got BACKEND_ERROR/ },
  { fixture: 'multiattach-single-host', only: 'lifecycle', runs: 5, property: 'lifecycle/a volume attached to two hosts works from both', message: /for a second host while the first is attached: expected success, got VOLUME_BUSY/ },
  { fixture: 'online-extend-refused', only: 'lifecycle', runs: 5, property: 'lifecycle/an attached volume can be extended', message: /while it is attached: expected success, got VOLUME_BUSY/ },
  // Manage.
  { fixture: 'unmanage-deletes', only: 'negative', runs: 10, property: MANAGE, message: /offers 0 new objects safe to manage/ },
  { fixture: 'manageable-lists-managed', only: 'negative', runs: 10, property: MANAGE, message: /appeared with the managed volume .* as safe to manage/ },
  { fixture: 'manage-path-escape', only: 'negative', runs: 10, property: 'negative/references outside the backend are refused', message: /manageExistingGetSize\(.*\): expected MANAGE_TARGET_NOT_FOUND or INVALID_ARGUMENT, but it succeeded/ },
  // Names and sizes.
  { fixture: 'accepts-long-ids', only: 'negative', runs: 10, property: 'negative/hostile names are refused', message: /createVolume with id .*65 chars.*expected INVALID_ARGUMENT, but it succeeded/ },
  { fixture: 'accepts-fractional-size', only: 'negative', runs: 10, property: 'negative/invalid sizes are refused', message: /sizeGiB 1\.5: expected INVALID_ARGUMENT, but it succeeded/ },
];

describe('conformance runner self-test (issue #3)', function () {
  this.timeout(180_000);

  it('passes the real file driver', async () => {
    const report = await certify('file', { runs: 30 });
    expect(failures(report), JSON.stringify(failures(report))).to.deep.equal([]);
    expect(report.passed).to.equal(true);
    expect(report.figures.modelRuns).to.be.at.least(30);
    expect(report.suites.map((s) => s.name)).to.deep.equal(['static', 'lifecycle', 'negative', 'concurrency']);
    expect(report.cleanup.probes?.join(' ')).to.match(/files under .*ashlar-conformance-file-/);
    const checks = report.suites.flatMap((s) => s.checks.map((c) => `${s.name}/${c.name}`));
    for (const b of BROKEN) expect(checks, `the file driver's report has no check ${b.property}`).to.include(b.property);
  });

  for (const b of BROKEN) {
    it(`fails the ${b.fixture} fixture in ${b.property}`, async () => {
      const spec = fileURLToPath(new URL(`../fixtures/broken-drivers/${b.fixture}.ts`, import.meta.url));
      const report = await certify(spec, { runs: b.runs, only: [b.only], callTimeoutMs: b.callTimeoutMs });
      expect(report.passed, 'the broken driver passed').to.equal(false);
      const found = failures(report);
      const hit = found.find((f) => f.property === b.property);
      expect(hit, `expected ${b.property} to fail; failures: ${JSON.stringify(found)}`).to.not.equal(undefined);
      expect(hit!.message).to.match(b.message);
      const check = checkNamed(report, b.property);
      if (check?.failure?.seed !== undefined) {
        expect(check.failure.replay, 'a property failure carries a replay token').to.be.a('string').and.match(/~/);
        expect(check.failure.commands?.length ?? 0).to.be.greaterThan(0);
      }
    });
  }
});

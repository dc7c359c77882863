/**
 * `npm test`'s mocha step: every test file, in several mocha processes that run at the same time.
 *
 * The suites that drive a UML LVM test host spend their time waiting on lvm2 inside the
 * guest and on the host disk (the thick conformance run's deep paths copy GiBs), while the
 * rest of the suite is CPU-bound: side by side they share these 2-core machines well, and
 * the whole run takes about the time of the longest group instead of their sum. Each LVM
 * group starts its own test host.
 *
 * The main group's output streams live; the others' is printed whole when all are done, so
 * each reads as one mocha run. The last lines are each group's summary and their total.
 * Exit status: non-zero when any group fails, or when any ran no test at all.
 *
 *   npx tsx scripts/run-tests.ts            # what npm test runs
 *   ASHLAR_TEST_SERIAL=1 npx tsx scripts/run-tests.ts   # one mocha process, one after another
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mocha = path.join(root, 'node_modules', '.bin', 'mocha');

/**
 * The groups that run beside the main one: each LVM group on its own UML LVM test host
 * (the thick conformance run alone, the longest: its deep-path copies are full copies; the
 * thin run followed by the driver tests), and the ONTAP conformance run on its own
 * simulator cluster.
 */
const SIDE_GROUPS: readonly { readonly name: string; readonly files: readonly string[] }[] = [
  { name: 'LVM thick conformance', files: ['test/drivers/lvm/lvm-conformance-thick.test.ts'] },
  { name: 'LVM thin conformance and driver tests', files: ['test/drivers/lvm/lvm-conformance-thin.test.ts', 'test/drivers/lvm/lvm-driver.test.ts'] },
  // Waits mostly on one qemu-io iSCSI login per read or write and the simulator's REST round trips.
  { name: 'ONTAP conformance', files: ['test/drivers/ontap/ontap-conformance.test.ts'] },
];

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .flatMap((e) => {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(rel);
      return e.name.endsWith('.test.ts') ? [rel] : [];
    });
}

interface Outcome {
  readonly name: string;
  readonly code: number;
  readonly output: string;
}

/** Runs mocha on `files`; streams its output when `live`, and keeps it either way. */
function runMocha(name: string, files: readonly string[], live: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(mocha, [...files], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const keep = (stream: NodeJS.WriteStream) => (data: Buffer): void => {
      chunks.push(data.toString('utf8'));
      if (live) stream.write(data);
    };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 128 : 1), output: chunks.join('') }));
  });
}

/** Mocha's counts from the end of its output (colour codes removed). */
function counts(output: string): { passing: number; failing: number; pending: number } {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const last = (word: string): number => Number([...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].at(-1)?.[1] ?? 0);
  return { passing: last('passing'), failing: last('failing'), pending: last('pending') };
}

async function main(): Promise<void> {
  const all = testFiles('test');
  const side = SIDE_GROUPS.map((g) => ({ name: g.name, files: g.files.filter((f) => all.includes(f)) })).filter((g) => g.files.length > 0);
  const rest = all.filter((f) => !side.some((g) => g.files.includes(f)));
  let outcomes: Outcome[];
  if (process.env.ASHLAR_TEST_SERIAL === '1') {
    outcomes = [await runMocha('all tests', all, true)];
  } else {
    process.stdout.write(`running ${rest.length} test files here, and alongside: ${side.map((g) => `${g.name} (${g.files.length} files)`).join('; ')}; their output follows at the end\n`);
    const started = Date.now();
    const timed = async (run: Promise<Outcome>): Promise<Outcome> => {
      const o = await run;
      return { ...o, name: `${o.name} (${Math.round((Date.now() - started) / 1000)} s)` };
    };
    outcomes = await Promise.all([timed(runMocha('main suite', rest, true)), ...side.map((g) => timed(runMocha(g.name, g.files, false)))]);
    for (const [i, g] of side.entries()) process.stdout.write(`\n==== ${g.name} (${g.files.join(', ')}) ====\n${outcomes[i + 1]!.output}`);
  }
  let failed = false;
  const total = { passing: 0, failing: 0, pending: 0 };
  process.stdout.write('\n');
  for (const o of outcomes) {
    const c = counts(o.output);
    for (const k of ['passing', 'failing', 'pending'] as const) total[k] += c[k];
    const ranNothing = c.passing + c.failing + c.pending === 0;
    if (o.code !== 0 || ranNothing) failed = true;
    process.stdout.write(`${o.name}: ${c.passing} passing, ${c.failing} failing, ${c.pending} pending, exit ${o.code}${ranNothing ? ' (ran no test: a defect)' : ''}\n`);
  }
  process.stdout.write(`all tests: ${total.passing} passing, ${total.failing} failing, ${total.pending} pending\n`);
  process.exitCode = failed ? 1 : 0;
}

await main();

/**
 * `npm test`'s mocha step: every test file, in two mocha processes that run at the same time.
 *
 * The LVM suites drive a UML guest whose time goes to the host disk (the conformance
 * runs' deep paths write GiBs), while the rest of the suite is CPU-bound: side by side they
 * share these 2-core machines well, and the whole run takes about the time of the longer
 * of the two instead of their sum (the LVM suites alone take about 40 minutes).
 *
 * The other group's output streams live; the LVM group's is printed whole when both are
 * done, so each reads as one mocha run. The last lines are the two summaries and their
 * total. Exit status: non-zero when either fails, or when either ran no test at all.
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

/** The disk-bound group: the suites that drive the UML LVM test host. */
const DISK_BOUND = ['test/drivers/lvm/lvm-conformance.test.ts', 'test/drivers/lvm/lvm-driver.test.ts'];

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
  const disk = DISK_BOUND.filter((f) => all.includes(f));
  const rest = all.filter((f) => !disk.includes(f));
  let outcomes: Outcome[];
  if (process.env.ASHLAR_TEST_SERIAL === '1') {
    outcomes = [await runMocha('all tests', all, true)];
  } else {
    process.stdout.write(`running ${rest.length} test files here, and the ${disk.length} LVM test files (UML host, disk-bound) alongside; their output follows at the end\n`);
    const [cpu, lvm] = await Promise.all([runMocha('main suite', rest, true), runMocha('LVM suites', disk, false)]);
    process.stdout.write(`\n==== LVM suites (${disk.join(', ')}) ====\n${lvm.output}`);
    outcomes = [cpu, lvm];
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

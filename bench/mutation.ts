/**
 * Mutation testing as the conformance runner's yardstick (issue #12): Stryker mutates the
 * file driver's source and runs `ashlar conformance run file` against each mutant; a mutant
 * the run does not fail is a bug class no check catches (or an equivalent mutant). Prints
 * the score and the survivors by file and line, for triage. Slow (an hour or more on two
 * shared cores): a benchmark, never part of `npm test`.
 *
 * Run: npx tsx bench/mutation.ts [--mutate drivers/file/file-driver.ts] [--concurrency 2] [--runs 20]
 * Config: stryker.config.json (the flags override it). Needs the `stryker` binary of
 * @stryker-mutator/core (a devDependency) on PATH or in node_modules/.bin.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The value after `--name`, if given. */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

interface Config {
  readonly commandRunner: { readonly command: string };
  readonly jsonReporter: { readonly fileName: string };
}
interface Mutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number } };
}

const config = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Config;
const args = ['run', 'stryker.config.json'];
const mutate = flag('mutate');
const concurrency = flag('concurrency');
const runs = flag('runs');
if (mutate) args.push('--mutate', mutate);
if (concurrency) args.push('--concurrency', concurrency);
if (runs) args.push('--commandRunner.command', config.commandRunner.command.replace(/--runs \d+/, `--runs ${runs}`));
const local = path.join('node_modules', '.bin', 'stryker');
const bin = existsSync(local) ? local : 'stryker';
const started = performance.now();
// The sandbox has no fresh dist/: the CLI must run the TypeScript sources, where the mutants are.
const code = await new Promise<number>((resolve, reject) => {
  const child = spawn(bin, args, { stdio: 'inherit', env: { ...process.env, ASHLAR_RUNTIME: 'tsx' } });
  child.once('error', reject);
  child.once('exit', (c) => resolve(c ?? 1));
});
if (code !== 0) {
  console.error(`stryker exited with ${code}`);
  process.exit(code);
}
report(JSON.parse(readFileSync(config.jsonReporter.fileName, 'utf8')) as { files: Record<string, { mutants: Mutant[] }> }, (performance.now() - started) / 60_000);

/** Score over the mutants the run could judge, and the survivors for triage. */
function report(result: { files: Record<string, { mutants: Mutant[] }> }, minutes: number): void {
  const all = Object.entries(result.files).flatMap(([file, f]) => f.mutants.map((m) => ({ file, ...m })));
  const count = (...s: string[]): number => all.filter((m) => s.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const undetected = count('Survived', 'NoCoverage');
  const score = detected + undetected > 0 ? (100 * detected) / (detected + undetected) : 0;
  console.log(`\nmutants: ${all.length}; killed ${count('Killed')}, timeout ${count('Timeout')}, survived ${count('Survived')}, no coverage ${count('NoCoverage')}, errors ${count('RuntimeError', 'CompileError')}, ignored ${count('Ignored')}`);
  console.log(`mutation score: ${score.toFixed(1)} % of ${detected + undetected} judged mutants, in ${minutes.toFixed(1)} min`);
  for (const m of all.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    console.log(`  survived ${m.file}:${m.location.start.line} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '').slice(0, 100)}`);
  }
}

/**
 * `npm run build` (and `prepare`, so `npm ci` runs it): transpiles every TypeScript source
 * of the shipped trees 1:1 into dist/, mirroring the tree, so `bin/run.js` can start
 * without tsx. Our modules are not bundled: each stays a module, so the CLI's lazy
 * `import()`s stay lazy; only kysely, a dependency of hundreds of tiny files, is bundled
 * into dist/vendor/ (see `vendor`). Types are stripped by esbuild's transform API (the compiler tsx itself uses, with
 * the same tsconfig options), not checked: `npm run typecheck` does that.
 *
 * JSON assets are not copied: modules find them from the package root
 * (core/util/package-root.ts), so there is one copy of each and editing one needs no build.
 *
 * The tree is written to a sibling directory and swapped in whole, with its stamp
 * (bin/dist-stamp.js) taken before any source is read: a run racing the build sees the old
 * tree, no tree (and falls back to tsx), or the new one — and an edit made during the
 * build leaves a stamp that no longer matches, never a stale tree that looks fresh.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import { build as bundle, transform, version as esbuildVersion, type TsconfigRaw } from 'esbuild';
import { STAMP_FILE, VENDORED_PACKAGES, sourceFiles, sourceStamp } from '../bin/dist-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const staging = path.join(root, `dist.building-${process.pid}`);

async function transpile(rel: string, tsconfigRaw: TsconfigRaw): Promise<void> {
  const outRel = rel.replace(/\.ts$/, '.js');
  const outFile = path.join(staging, outRel);
  const source = await readFile(path.join(root, rel), 'utf8');
  const result = await transform(source, {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfigRaw,
    // Map back to the .ts file in the source tree (used under `node --enable-source-maps`).
    sourcemap: 'external',
    sourcesContent: false,
    sourcefile: path.relative(path.dirname(path.join(dist, outRel)), path.join(root, rel)),
  });
  await mkdir(path.dirname(outFile), { recursive: true });
  const mapName = `${path.basename(outFile)}.map`;
  await writeFile(outFile, `${result.code}//# sourceMappingURL=${mapName}\n`);
  await writeFile(`${outFile}.map`, result.map);
}

/**
 * Bundles a dependency into one CommonJS file under dist/vendor/. kysely's CommonJS build
 * is about 260 files, and requiring them one by one took 100–200 ms of `ashlar serve`
 * start-up; the one-file bundle loads in 30–40 ms. service/db/kysely-runtime.ts
 * prefers the bundle when it exists (only under dist/).
 */
async function vendor(name: string): Promise<void> {
  await bundle({
    entryPoints: [createRequire(path.join(root, 'package.json')).resolve(name)],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: path.join(staging, 'vendor', `${name}.cjs`),
    logLevel: 'warning',
  });
}

async function build(): Promise<void> {
  const started = performance.now();
  const stamp = sourceStamp(root);
  const files = sourceFiles(root);
  // The options that change emitted code (verbatimModuleSyntax, target, class fields) come
  // from tsconfig.json, as they do when tsx compiles the same file.
  const tsconfigRaw = JSON.parse(await readFile(path.join(root, 'tsconfig.json'), 'utf8')) as TsconfigRaw;
  await rm(staging, { recursive: true, force: true });
  try {
    await Promise.all([...files.map((rel) => transpile(rel, tsconfigRaw)), ...VENDORED_PACKAGES.map(vendor)]);
    await writeFile(path.join(staging, path.relative('dist', STAMP_FILE)), stamp);
    await rm(dist, { recursive: true, force: true });
    await rename(staging, dist);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  console.log(`dist/: ${files.length} modules transpiled, ${VENDORED_PACKAGES.join(', ')} bundled, by esbuild ${esbuildVersion} in ${Math.round(performance.now() - started)} ms`);
}

await build();

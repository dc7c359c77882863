// The freshness stamp of the precompiled dist/ tree, shared by bin/run.js (plain
// JavaScript, so it can decide before any TypeScript tooling loads) and
// scripts/build-dist.ts. The stamp is the exact list of source files with their sizes and
// modification times: any edit, addition, deletion or checkout changes it, even one that
// leaves an older mtime behind, and checking it costs one stat per source file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The source trees transpiled into dist/, mirrored 1:1. */
export const SOURCE_DIRS = ['core', 'drivers', 'conformance', 'service', 'openapi', 'docs-gen', 'cli'];

/** The build script: changing how dist/ is made makes it stale too. */
export const BUILD_SCRIPT = 'scripts/build-dist.ts';

/**
 * Dependencies the build bundles into dist/vendor/ (one file each, see
 * scripts/build-dist.ts): their installed version is part of the stamp, so upgrading one
 * makes dist/ stale instead of running an old copy.
 */
export const VENDORED_PACKAGES = ['kysely'];

/** Where the build writes the stamp, relative to the package root. */
export const STAMP_FILE = 'dist/.source-stamp';

/** Whether a file name is a TypeScript source the build transpiles. */
export function isSource(name) {
  return name.endsWith('.ts') && !name.endsWith('.d.ts');
}

function walk(root, dir, out) {
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(root, rel, out);
    else if (e.isFile() && isSource(e.name)) out.push(rel);
  }
}

/** Every source file the build transpiles, relative to `root`, sorted. */
export function sourceFiles(root) {
  const out = [];
  for (const dir of SOURCE_DIRS) walk(root, dir, out);
  return out.sort();
}

/** The stamp text of the sources as they are now on disk. */
export function sourceStamp(root) {
  const lines = [];
  for (const rel of [...sourceFiles(root), BUILD_SCRIPT]) {
    const st = statSync(path.join(root, rel), { throwIfNoEntry: false });
    // Nearest millisecond: an mtime set back through float seconds (utimes) lands within a
    // few hundred nanoseconds of the original, which rounding absorbs and truncation would
    // not. A mismatch only ever makes dist/ look stale (tsx runs), never falsely fresh.
    lines.push(st ? `${rel}\t${st.size}\t${Math.round(st.mtimeMs)}` : `${rel}\t-`);
  }
  for (const name of VENDORED_PACKAGES) {
    let version = '-';
    try {
      version = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      // Not installed: the stamp says so, and a later install makes dist/ stale.
    }
    lines.push(`vendor:${name}\t${version}`);
  }
  return lines.join('\n') + '\n';
}

/** True when dist/ exists and was built from exactly the sources now on disk. */
export function distIsFresh(root) {
  let stamp;
  try {
    stamp = readFileSync(path.join(root, STAMP_FILE), 'utf8');
  } catch {
    return false;
  }
  return stamp === sourceStamp(root);
}

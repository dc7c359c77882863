/**
 * The Ashlar package root, found once: the nearest directory above this module holding a
 * package.json. The same answer whether the module runs from its TypeScript source
 * (core/util/) or from the precompiled mirror (dist/core/util/, which holds no
 * package.json), so assets that live only in the source tree — JSON schemas, the
 * capability catalog, package.json, typedoc.json — are read from one place in both modes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Absolute path of the directory holding Ashlar's package.json. */
export const PACKAGE_ROOT: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** An absolute path inside the package, from root-relative segments (`'core', 'schemas'`). */
export function packagePath(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}

/**
 * The dependency direction of the product trees (DESIGN.md): core ← drivers, conformance,
 * service ← openapi, docs-gen ← cli. A test walks every import (static, dynamic, type-only
 * and `new URL(…, import.meta.url)` module references) and fails on an edge against it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Which trees each tree may import from (itself included). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  drivers: ['core', 'drivers'],
  conformance: ['core', 'conformance'],
  service: ['core', 'service'],
  // The builder receives route specs from cli/; it never sees the service.
  openapi: ['core', 'openapi'],
  // The documentation renders the OpenAPI document and conformance reports.
  'docs-gen': ['core', 'conformance', 'openapi', 'docs-gen'],
  cli: ['core', 'drivers', 'conformance', 'service', 'openapi', 'docs-gen', 'cli'],
};

/** The package's own exports, as the trees they point into. */
const SELF_EXPORTS: Readonly<Record<string, string>> = { ashlar: 'core', 'ashlar/contract': 'core', 'ashlar/conformance': 'conformance' };

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The tree a specifier written in `file` points into, or undefined outside the product trees. */
function targetTree(file: string, spec: string): string | undefined {
  if (spec in SELF_EXPORTS) return SELF_EXPORTS[spec];
  if (!spec.startsWith('.')) return undefined;
  const rel = path.relative(root, path.resolve(path.dirname(file), spec));
  const top = rel.split(path.sep)[0]!;
  // dist/vendor/: third-party bundles that exist only in the built tree (kysely).
  if (top === 'vendor') return undefined;
  return top in ALLOWED ? top : `(outside: ${top})`;
}

/** Every import edge between trees: `from → to` with the files that make it. */
export function importEdges(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const tree of Object.keys(ALLOWED)) {
    for (const file of sources(path.join(root, tree))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(SPECIFIER)) {
        const to = targetTree(file, m[1]!);
        if (to === undefined || to === tree) continue;
        const key = `${tree} → ${to}`;
        edges.set(key, [...(edges.get(key) ?? []), `${path.relative(root, file)} imports ${m[1]}`]);
      }
    }
  }
  return edges;
}

describe('architecture: dependency direction (issue 11)', () => {
  it('has no import edge against core ← drivers, conformance, service ← openapi, docs-gen ← cli', () => {
    const edges = importEdges();
    const bad: string[] = [];
    const summary: string[] = [];
    for (const [edge, where] of [...edges].sort()) {
      const [from, to] = edge.split(' → ') as [string, string];
      const ok = ALLOWED[from]!.includes(to);
      summary.push(`${ok ? 'ok ' : 'BAD'} ${edge} (${where.length})`);
      if (!ok) bad.push(`${edge}:\n    ${where.join('\n    ')}`);
    }
    console.log(`      import edges between trees:\n${summary.map((s) => `        ${s}`).join('\n')}`);
    expect(bad, `imports against the allowed direction:\n  ${bad.join('\n  ')}`).to.deep.equal([]);
  });

  it('sees the edges it is meant to police (the walker is not blind)', () => {
    const edges = importEdges();
    expect(edges.get('service → core')?.length ?? 0).to.be.greaterThan(10);
    expect(edges.get('cli → service')?.length ?? 0).to.be.greaterThan(0);
    expect(targetTree(path.join(root, 'openapi', 'x.ts'), '../service/service.js')).to.equal('service');
  });
});

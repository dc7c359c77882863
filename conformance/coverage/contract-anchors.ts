import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** Where the contract's rules are written: the driver interfaces and the types they rest on. */
const CONTRACT_FILES = [
  'volume-driver.ts',
  'types.ts',
  'plugin.ts',
  'capabilities/snapshots.ts',
  'capabilities/clone.ts',
  'capabilities/revert.ts',
  'capabilities/manage.ts',
  'capabilities/groups.ts',
  'capabilities/replication.ts',
  'capabilities/retype.ts',
  'capabilities/migrate.ts',
];

/** Properties whose TSDoc states behaviour a driver must show (the others only describe data). */
const RULE_PROPERTIES = new Set(['CallArgs.signal', 'GetStatsArgs.refresh', 'ManageableVolume.safeToManage']);

/**
 * One statement of the contract a check can hold a driver to, e.g.
 * `VolumeDriver.createVolume`, `VolumeDriver.createVolume@idempotency`,
 * `VolumeDriver.createVolume@throws VOLUME_EXISTS`, `semantics.deleteVolumeWithSnapshots=busy`.
 */
export interface ContractAnchor {
  readonly anchor: string;
  /** The TSDoc text (or schema description) the anchor stands for. */
  readonly text: string;
}

/**
 * Every rule the contract states, read from its source so that a new method, `@throws` code
 * or semantics switch shows up here the moment it is written: each method's behaviour, its
 * `@idempotency`, each `@throws` code; the rule-bearing properties; the manifest's semantics
 * switches and the schema-level rules (ids, stats, error codes, declared capabilities).
 */
export function contractAnchors(): ContractAnchor[] {
  const out: ContractAnchor[] = [];
  for (const file of CONTRACT_FILES) out.push(...anchorsOfFile(new URL(`../../core/contract/${file}`, import.meta.url)));
  out.push(...semanticsAnchors());
  out.push(
    { anchor: 'schema:ResourceId', text: 'common.schema.json ResourceId: ids outside the pattern never reach a backend' },
    { anchor: 'schema:BackendStats', text: 'backend-stats.schema.json: Cinder stats keys, schema-valid, consistent figures' },
    { anchor: 'errors:registry', text: 'core/errors/registry.ts: every driver error carries a registered code' },
    { anchor: 'manifest.capabilities', text: 'manifest.schema.json capabilities: declared capabilities are implemented and work' },
  );
  return out;
}

function anchorsOfFile(url: URL): ContractAnchor[] {
  const source = ts.createSourceFile(url.pathname, readFileSync(url, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: ContractAnchor[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const member of node.members) {
      const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (!name) continue;
      const key = `${node.name.text}.${name}`;
      const isMethod = ts.isMethodSignature(member);
      if (!isMethod && !RULE_PROPERTIES.has(key)) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      if (docs.length === 0) continue;
      out.push({ anchor: key, text: commentText(docs[0]!.comment) });
      for (const tag of ts.getJSDocTags(member)) {
        const tagText = commentText(tag.comment);
        if (tag.tagName.text === 'idempotency') out.push({ anchor: `${key}@idempotency`, text: tagText });
        if (tag.tagName.text === 'throws') {
          for (const code of tagText.match(/\b[A-Z][A-Z_]{3,}\b/g) ?? []) out.push({ anchor: `${key}@throws ${code}`, text: tagText });
        }
      }
    }
  });
  return dedupe(out);
}

/** `semantics.<switch>=<value>` for every enum value, `semantics.<switch>` for a boolean. */
function semanticsAnchors(): ContractAnchor[] {
  const schema = JSON.parse(readFileSync(new URL('../../core/schemas/manifest.schema.json', import.meta.url), 'utf8')) as {
    properties: { semantics: { properties: Record<string, { enum?: string[]; description?: string }> } };
  };
  const out: ContractAnchor[] = [];
  for (const [name, prop] of Object.entries(schema.properties.semantics.properties)) {
    const text = prop.description ?? '';
    if (prop.enum) for (const value of prop.enum) out.push({ anchor: `semantics.${name}=${value}`, text });
    else out.push({ anchor: `semantics.${name}`, text });
  }
  return out;
}

function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
  if (comment === undefined) return '';
  const text = typeof comment === 'string' ? comment : comment.map((c) => c.text).join('');
  return text.replace(/\s+/g, ' ').trim();
}

function dedupe(anchors: ContractAnchor[]): ContractAnchor[] {
  const seen = new Set<string>();
  return anchors.filter((a) => !seen.has(a.anchor) && seen.add(a.anchor));
}

/**
 * Reads core/contract through typedoc's JSON model and keeps what the driver guide
 * needs: interfaces, their methods and properties, and the contract's custom TSDoc tags.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Application, type JSONOutput } from 'typedoc';
import { PACKAGE_ROOT } from '../core/util/package-root.js';

/** The custom block tags core/contract uses, declared so typedoc keeps them. */
export const CONTRACT_BLOCK_TAGS = ['@required', '@optional', '@idempotency', '@throws', '@since', '@capability'] as const;

/** A documented error a method may raise. */
export interface ThrowsDoc {
  readonly code: string;
  readonly when: string;
}

/** One method of a contract interface. */
export interface MethodDoc {
  readonly name: string;
  readonly optional: boolean;
  readonly summary: string;
  readonly idempotency?: string;
  readonly since?: string;
  readonly throws: readonly ThrowsDoc[];
  readonly signature: string;
  readonly argsType?: string;
}

/** One property of an args/result interface. */
export interface PropertyDoc {
  readonly name: string;
  readonly optional: boolean;
  readonly type: string;
  readonly summary: string;
}

/** One interface of the contract. */
export interface InterfaceDoc {
  readonly name: string;
  readonly summary: string;
  readonly since?: string;
  readonly capability?: string;
  readonly methods: readonly MethodDoc[];
  readonly properties: readonly PropertyDoc[];
}

// typedoc reads the contract's TypeScript sources, which only the source tree holds.
const root = PACKAGE_ROOT;

function text(parts: readonly JSONOutput.CommentDisplayPart[] | undefined): string {
  return (parts ?? [])
    .map((p) => (p.kind === 'inline-tag' ? `\`${p.text}\`` : p.text))
    .join('')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function tag(comment: JSONOutput.Comment | undefined, name: string): string | undefined {
  const t = comment?.blockTags?.find((b) => b.tag === name);
  return t ? text(t.content) : undefined;
}

function optionalTag<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** A typedoc type as short TypeScript text. */
export function typeText(t: JSONOutput.SomeType | undefined): string {
  if (!t) return 'unknown';
  switch (t.type) {
    case 'intrinsic':
      return t.name;
    case 'literal':
      return JSON.stringify(t.value);
    case 'reference':
      return t.typeArguments?.length ? `${t.name}<${t.typeArguments.map(typeText).join(', ')}>` : t.name;
    case 'array':
      return `${typeText(t.elementType)}[]`;
    case 'union':
      return t.types.map(typeText).join(' | ');
    case 'intersection':
      return t.types.map(typeText).join(' & ');
    case 'typeOperator':
      return `${t.operator} ${typeText(t.target)}`;
    case 'tuple':
      return `[${(t.elements ?? []).map(typeText).join(', ')}]`;
    default:
      return t.type === 'reflection' ? 'object' : t.type;
  }
}

/** Runs typedoc over core/contract and returns its JSON project. */
export async function contractProject(): Promise<JSONOutput.ProjectReflection> {
  // typedoc.json holds the block tags (the contract's own plus json-schema-to-typescript's
  // @minItems/@maxItems), so `npx typedoc` and this build agree.
  const config = JSON.parse(readFileSync(path.join(root, 'typedoc.json'), 'utf8')) as { blockTags: `@${string}`[] };
  const missing = CONTRACT_BLOCK_TAGS.filter((t) => !config.blockTags.includes(t));
  if (missing.length) throw new Error(`typedoc.json must declare the contract's block tags: ${missing.join(', ')}`);
  const app = await Application.bootstrap({
    entryPoints: [path.join(root, 'core/contract/index.ts')],
    tsconfig: path.join(root, 'tsconfig.json'),
    blockTags: config.blockTags,
    excludeExternals: true,
    skipErrorChecking: true,
    logLevel: 'Error',
  });
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not convert core/contract');
  return app.serializer.projectToObject(project, root as Parameters<typeof app.serializer.projectToObject>[1]);
}

/** The contract's interfaces by name, from typedoc's JSON. */
export function contractInterfaces(project: JSONOutput.ProjectReflection): Map<string, InterfaceDoc> {
  const out = new Map<string, InterfaceDoc>();
  for (const c of project.children ?? []) {
    if (c.kind !== 256) continue; // ReflectionKind.Interface
    const methods: MethodDoc[] = [];
    const properties: PropertyDoc[] = [];
    for (const m of c.children ?? []) {
      const sig = m.signatures?.[0];
      if (sig) {
        const params = (sig.parameters ?? []).map((p) => `${p.name}: ${typeText(p.type)}`).join(', ');
        const argsType = sig.parameters?.[0] ? typeText(sig.parameters[0].type) : undefined;
        methods.push({
          name: m.name,
          optional: Boolean(m.flags.isOptional),
          summary: text(sig.comment?.summary),
          ...optionalTag('idempotency', tag(sig.comment, '@idempotency')),
          ...optionalTag('since', tag(sig.comment, '@since')),
          throws: (sig.comment?.blockTags ?? [])
            .filter((b) => b.tag === '@throws')
            .map((b) => {
              const t = text(b.content);
              const [codeWord = '', ...rest] = t.split(' ');
              return { code: codeWord, when: rest.join(' ') };
            }),
          signature: `${m.name}${m.flags.isOptional ? '?' : ''}(${params}): ${typeText(sig.type)}`,
          ...(argsType ? { argsType } : {}),
        });
      } else {
        properties.push({ name: m.name, optional: Boolean(m.flags.isOptional), type: typeText(m.type), summary: text(m.comment?.summary) });
      }
    }
    out.set(c.name, {
      name: c.name,
      summary: text(c.comment?.summary),
      ...optionalTag('since', tag(c.comment, '@since')),
      ...optionalTag('capability', tag(c.comment, '@capability')),
      methods,
      properties,
    });
  }
  return out;
}

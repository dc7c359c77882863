/**
 * The OpenAPI document reshaped for a reader, before the OpenAPI renderer sees it: what the
 * `x-openstack` extensions say (microversion range, admin-only, experimental, removed)
 * becomes badges and description text the renderer shows; each action of an action route
 * becomes an entry of its own with its own request and answer; error codes link to the
 * error table. The committed openapi.yaml is never changed by this: clients read that one.
 */
import type { OpenApiDocument } from '../../openapi/build.js';

type Json = Record<string, any>;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const SCHEMA_PREFIX = '#/components/schemas/';

/** Follows a `#/components/schemas/` reference (one level). */
function deref(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' && ref.startsWith(SCHEMA_PREFIX) ? doc.components.schemas[ref.slice(SCHEMA_PREFIX.length)] : schema;
}

/** "3.0 to 3.59", "3.40 and later": the microversions an operation or member exists in. */
export function versionRange(x: Json | undefined): string | undefined {
  if (!x?.['min-ver'] && !x?.['max-ver']) return undefined;
  const min = x['min-ver'] ?? '3.0';
  return x['max-ver'] ? `${min} to ${x['max-ver']}` : `${min} and later`;
}

/** Badges and a Markdown preamble stating the facts of `x-openstack`. */
function facts(x: Json): { badges: Json[]; lines: string[]; deprecated: boolean } {
  const badges: Json[] = [];
  const lines: string[] = [];
  const range = versionRange(x);
  if (range) {
    // Short: badges also show in the menu, where width is scarce.
    badges.push({ name: x['max-ver'] ? `${x['min-ver'] ?? '3.0'}–${x['max-ver']}` : `${x['min-ver']}+`, color: '#1f5fae' });
    lines.push(`**Microversions:** ${range} (\`OpenStack-API-Version: volume X.Y\`).`);
  }
  if (x['admin-only']) {
    badges.push({ name: 'admin', color: '#6b4fa3' });
    lines.push('**Admin only** under the default policy.');
  }
  if (x.experimental) {
    badges.push({ name: 'experimental', color: '#b7791f' });
    lines.push('**Experimental:** may change or go away in any release, without a new microversion.');
  }
  if (x['removed-in']) {
    badges.push({ name: `removed ${x['removed-in']}`, color: '#b42318' });
    lines.push(`**Removed** in microversion ${x['removed-in']}: a request at ${x['removed-in']} or later answers 410 Gone with the fault body documented below.`);
  }
  return { badges, lines, deprecated: Boolean(x['removed-in']) };
}

/** Links each registry code named in a response description to its row of the error table. */
function linkErrorCodes(response: Json): Json {
  const codes = response['x-ashlar-error-codes'] as string[] | undefined;
  if (!codes?.length || typeof response.description !== 'string') return response;
  let text = response.description;
  for (const c of codes) text = text.replace(new RegExp(`(^|\\n)${c}:`), `$1[${c}](errors.html#${c.toLowerCase()}):`);
  return { ...response, description: text };
}

/** Applies the facts of `x` and the error links to one operation. */
function decorate(op: Json, x: Json, extraLines: readonly string[] = []): Json {
  const f = facts(x);
  const description = [...f.lines, ...extraLines, ...(op.description ? [op.description] : [])].join('\n\n');
  const responses = Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, r]) => [status, linkErrorCodes(r as Json)]));
  return {
    ...op,
    ...(description ? { description } : {}),
    ...(f.badges.length ? { 'x-badges': f.badges } : {}),
    ...(f.deprecated ? { deprecated: true } : {}),
    responses,
  };
}

/** One action of an action route: its name, request schema and `x-openstack`. */
interface ActionMember {
  readonly name: string;
  readonly schema: Json;
  readonly x: Json;
  readonly description?: string;
}

/** The actions of an operation whose request body is a oneOf discriminated by action. */
function actionMembers(doc: Json, op: Json): ActionMember[] {
  const body = op.requestBody?.content?.['application/json']?.schema;
  const union = deref(doc, body);
  if (!union?.oneOf || union['x-openstack']?.discriminator !== 'action') return [];
  return (union.oneOf as Json[]).flatMap((m) => {
    const member = deref(doc, m);
    const name = member?.['x-openstack']?.['action-name'];
    return typeof name === 'string' ? [{ name, schema: m, x: member!['x-openstack'], ...(member!.description ? { description: member!.description } : {}) }] : [];
  });
}

/** The answer of one action: its own member of a oneOf answer, or the bare statuses that name it. */
function actionResponses(doc: Json, op: Json, action: string): Json {
  const success = Object.entries(op.responses as Json).filter(([s]) => s.startsWith('2'));
  const own = (r: Json): Json | undefined => {
    const schema = r.content?.['application/json']?.schema;
    const members = (deref(doc, schema)?.oneOf ?? []) as Json[];
    const member = members.find((m) => deref(doc, m)?.['x-openstack']?.['action-name'] === action);
    if (member) return { ...r, description: `Answer of ${action}.`, content: { 'application/json': { schema: member } } };
    if (!schema && new RegExp(`(^|[\\s,:])${action.replace(/[-_]/g, '[-_]')}([\\s,.]|$)`).test(String(r.description ?? ''))) return { ...r, description: `Answer of ${action}.` };
    return undefined;
  };
  const chosen = success.flatMap(([s, r]) => {
    const o = own(r as Json);
    return o ? [[s, o] as const] : [];
  });
  const errors = Object.entries(op.responses as Json).filter(([s]) => !s.startsWith('2'));
  // An action no answer names keeps every success answer, rather than none.
  return Object.fromEntries([...(chosen.length ? chosen : success), ...errors]);
}

/** One entry per action, keyed by the route path plus `#action` (paths must stay unique). */
function splitActions(doc: Json, path: string, method: string, op: Json, actions: readonly ActionMember[]): [string, string, Json][] {
  return actions.map((a) => {
    const x = { ...(op['x-openstack'] ?? {}), ...a.x };
    const entry = {
      ...op,
      operationId: `${op.operationId}-${a.name}`,
      summary: `${a.name}${a.description ? `: ${a.description.replace(/\.$/, '')}` : ''}`,
      requestBody: { ...op.requestBody, content: { 'application/json': { schema: a.schema } } },
      responses: actionResponses(doc, op, a.name),
    };
    return [`${path}#${a.name}`, method, decorate(entry, x, [`Action \`${a.name}\` of \`${method.toUpperCase()} ${path}\`: the body is \`{"${a.name}": ...}\`.`])];
  });
}

/** Names the members of microversion unions by their range, so the renderer's tabs say which is which. */
function titleVersionedMembers(doc: Json): void {
  const visit = (schema: Json | undefined): void => {
    if (!schema || typeof schema !== 'object') return;
    if (schema['x-openstack']?.discriminator === 'microversion' && Array.isArray(schema.oneOf)) {
      for (const m of schema.oneOf as Json[]) {
        const member = deref(doc, m);
        const range = versionRange(member?.['x-openstack']);
        if (member && range) member.title = `microversion ${range}`;
      }
    }
    for (const v of Object.values(schema)) if (v && typeof v === 'object') visit(v as Json);
  };
  visit(doc.components);
  visit(doc.paths);
}

/** The document as the API reference page renders it (a deep copy; the input is untouched). */
export function presentationDocument(source: OpenApiDocument): Json {
  const doc = structuredClone(source) as Json;
  const paths: Json = {};
  for (const [p, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!METHODS.has(method)) continue;
      const actions = actionMembers(doc, op);
      const entries: [string, string, Json][] = actions.length ? splitActions(doc, p, method, op, actions) : [[p, method, decorate(op, op['x-openstack'] ?? {})]];
      for (const [key, m, o] of entries) paths[key] = { ...paths[key], [m]: o };
    }
  }
  doc.paths = paths;
  titleVersionedMembers(doc);
  return doc;
}

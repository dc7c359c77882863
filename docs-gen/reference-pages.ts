/** Pages derived from registries: the error codes and the capability catalog. */
import { capabilityCatalog } from '../core/catalog/catalog.js';
import { ERROR_CODES, ERROR_REGISTRY } from '../core/errors/registry.js';
import { capabilityAnchor } from './driver-guide.js';
import { code, link, plain, type Block, type Page } from './page.js';

/** The error code table and a section per code (link target of the guide and API reference). */
export function errorsPage(): Page {
  const codes = [...ERROR_CODES];
  const blocks: Block[] = [
    { heading: 'Error codes', level: 1 },
    {
      para: `Every error Ashlar raises carries one of these stable codes; a code is never reused. Drivers throw ${code("new AshlarError('CODE', { details })")}; callers match the code, never the message. The reference service answers with the HTTP status and a Cinder fault body ${code('{"<fault>": {"code": <status>, "message": "..."}}')}.`,
    },
    {
      table: {
        head: ['Code', 'HTTP status', 'Cinder fault', 'Message template'],
        rows: codes.map((c) => [link(code(c), `errors.md#${c.toLowerCase()}`), String(ERROR_REGISTRY[c].status), code(ERROR_REGISTRY[c].fault), code(ERROR_REGISTRY[c].message)]),
      },
    },
  ];
  for (const c of codes) {
    blocks.push({ heading: c, level: 2, id: c.toLowerCase() }, { para: `${plain(ERROR_REGISTRY[c].description)} Status ${ERROR_REGISTRY[c].status}, fault ${code(ERROR_REGISTRY[c].fault)}.` });
  }
  return { path: 'errors.md', title: 'Error codes', blocks };
}

/** The capability catalog as a table. */
export function catalogPage(): Page {
  const keys = capabilityCatalog().keys;
  return {
    path: 'capability-catalog.md',
    title: 'Capability catalog',
    blocks: [
      { heading: 'Capability catalog', level: 1 },
      {
        para: `Standard volume-type property keys (extra specs). Values are strings, as in Cinder; a catalog key must hold a value of its type (booleans: ${code('True')}, ${code('False')} or ${code('<is> True')}), any other key is driver-specific and passes unchecked. Project members see the keys marked user-visible on the types they can use; admins see every key. The scheduler matches a key against the backend-stats key it maps to: ${code('equal')} compares values, ${code('requires-true')} needs the backend to report the stats key as true. Cinder's own key names are kept where Cinder has one (so existing volume types and Cinder's capability filter semantics carry over); Ashlar-only keys use the ${code('ashlar:')} scope.`,
      },
      {
        table: {
          head: ['Key', 'Type', 'User-visible', 'Stats key', 'Capability', 'Example', 'Description'],
          rows: keys.map((k) => [
            code(k.key),
            k.type === 'enum' ? `enum: ${(k.values ?? []).map(code).join(', ')}` : k.type === 'integer' ? `integer ${k.minimum ?? ''}..${k.maximum ?? ''}` : k.type,
            k.userVisible ? 'yes' : 'admin only',
            k.stats.key ? `${code(k.stats.key)} (${k.stats.match})` : 'none',
            k.capability ? link(code(k.capability), `driver-guide.md#${capabilityAnchor(k.capability)}`) : '',
            k.example ? code(k.example) : '',
            plain(k.description),
          ]),
        },
      },
    ],
  };
}

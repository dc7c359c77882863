/** The driver developer guide: the required interface and every capability's interface. */
import { CAPABILITY_METHODS, REQUIRED_METHODS } from '../core/contract/capability-map.js';
import { capabilityCatalog } from '../core/catalog/catalog.js';
import { loadCoreSchemas } from '../core/validation/schema-registry.js';
import type { InterfaceDoc, MethodDoc } from './contract-model.js';
import { code, link, plain, type Block, type Page } from './page.js';

/** Anchor of a method in the guide. */
export const methodAnchor = (iface: string, method: string): string => `${iface}-${method}`.toLowerCase();
/** Anchor of a capability section in the guide. */
export const capabilityAnchor = (cap: string): string => `capability-${cap}`.toLowerCase();
/** Link target of an error code's section. */
export const errorTarget = (errorCode: string): string => `errors.md#${errorCode.toLowerCase()}`;

function methodBlocks(iface: InterfaceDoc, m: MethodDoc, all: Map<string, InterfaceDoc>): Block[] {
  const args = m.argsType ? all.get(m.argsType) : undefined;
  return [
    { heading: code(m.name), level: 4, id: methodAnchor(iface.name, m.name) },
    { para: m.summary || '(no description)' },
    { code: m.signature, lang: 'ts' },
    {
      table: {
        head: ['Property', 'Value'],
        rows: [
          ['Required', m.optional ? 'no (optional method)' : iface.capability ? `when the ${code(iface.capability)} capability is declared` : 'yes'],
          ['Idempotency', plain(m.idempotency ?? 'not stated')],
          ['Since', m.since ?? 'not stated'],
          ['Errors', m.throws.length ? m.throws.map((t) => `${link(t.code, errorTarget(t.code))} ${plain(t.when).replace(/\.$/, '')}`).join('; ') : 'none beyond the wrapper\'s (TIMEOUT, ABORTED, DRIVER_CONTRACT_VIOLATION)'],
        ],
      },
    },
    ...(args && args.properties.length
      ? [{ table: { head: [`${code(args.name)} field`, 'Type', 'Description'], rows: args.properties.map((p) => [`${code(p.name)}${p.optional ? ' (optional)' : ''}`, code(p.type), plain(p.summary)]) } }]
      : []),
  ];
}

/** Builds the guide page from the contract's interfaces. */
export function driverGuidePage(interfaces: Map<string, InterfaceDoc>): Page {
  const driver = interfaces.get('VolumeDriver');
  if (!driver) throw new Error('typedoc found no VolumeDriver interface in core/contract');
  const missing = REQUIRED_METHODS.filter((m) => !driver.methods.some((d) => d.name === m));
  if (missing.length) throw new Error(`VolumeDriver lacks documented methods: ${missing.join(', ')}`);
  const capSchema = loadCoreSchemas().find((s) => s.title === 'Capability');
  const blocks: Block[] = [
    { heading: 'Driver developer guide', level: 1 },
    {
      para: `A driver is a plugin module exporting a manifest and a factory through ${code('definePlugin')}. Every driver implements ${code('VolumeDriver')}; each optional capability it declares in ${code('manifest.capabilities')} makes that capability's interface required, at compile time, at load time and in conformance. The core never calls a driver directly: the runtime wrapper validates arguments and results against core/schemas, gates optional calls and applies time limits. Every method takes one args object carrying an ${code('AbortSignal')} and returns a result object. Errors are coded: see ${link('the error codes', 'errors.md')}.`,
    },
    { heading: 'Required interface: VolumeDriver', level: 2, id: 'volumedriver' },
    { para: plain(driver.summary) },
    ...driver.methods.flatMap((m) => methodBlocks(driver, m, interfaces)),
    { heading: 'Optional capabilities', level: 2, id: 'capabilities' },
    { para: plain(String(capSchema?.description ?? '')) },
  ];
  for (const [cap, methods] of Object.entries(CAPABILITY_METHODS)) {
    const iface = [...interfaces.values()].find((i) => i.capability === cap);
    const keys = capabilityCatalog().keys.filter((k) => k.capability === cap).map((k) => code(k.key));
    blocks.push({ heading: `Capability ${code(cap)}`, level: 3, id: capabilityAnchor(cap) });
    if (methods.length === 0) {
      blocks.push({ para: `A behavioural promise with no methods of its own: declaring it tells the scheduler and conformance that the driver honours it.` });
    } else if (!iface) {
      throw new Error(`no interface in core/contract carries @capability ${cap}`);
    } else {
      const undocumented = methods.filter((m: string) => !iface.methods.some((d) => d.name === m));
      if (undocumented.length) throw new Error(`${iface.name} lacks methods ${undocumented.join(', ')} that CAPABILITY_METHODS lists`);
      blocks.push({ para: `${plain(iface.summary)} Interface ${code(iface.name)}${iface.since ? `, since ${iface.since}` : ''}.` });
    }
    if (keys.length) blocks.push({ para: `Volume-type keys of the ${link('capability catalog', 'capability-catalog.md')} that need it: ${keys.join(', ')}.` });
    if (iface) blocks.push(...iface.methods.flatMap((m) => methodBlocks(iface, m, interfaces)));
  }
  return { path: 'driver-guide.md', title: 'Driver guide', blocks };
}

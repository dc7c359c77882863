/** A page per driver from its manifest. */
import type { DriverManifest } from '../core/contract/types.js';
import { configOptions } from '../core/plugins/config-options.js';
import { capabilityAnchor } from './driver-guide.js';
import { code, link, plain, type Block, type Page } from './page.js';

/** Where a driver's page lives. */
export const driverPagePath = (name: string): string => `drivers/${name.replace(/^@/, '').replace(/\//g, '-')}.md`;

/** The page of one driver. */
export function driverPage(manifest: DriverManifest): Page {
  const options = configOptions(manifest);
  const blocks: Block[] = [
    { heading: `Driver ${code(manifest.name)}`, level: 1 },
    { para: plain(manifest.description) },
    {
      table: {
        head: ['Property', 'Value'],
        rows: [
          ['Version', manifest.version],
          ['Vendor', plain(manifest.vendor)],
          ['Contract', code(manifest.contract)],
          ['Protocols', manifest.protocols.map(code).join(', ')],
          ['Delete a volume with snapshots', code(manifest.semantics.deleteVolumeWithSnapshots)],
          ['Active-active', manifest.semantics.activeActive ? 'yes' : 'no'],
          ...(manifest.homepage ? [['Homepage', manifest.homepage]] : []),
        ],
      },
    },
    { heading: 'Capabilities', level: 2 },
    manifest.capabilities.length
      ? { list: manifest.capabilities.map((c) => link(code(c), `driver-guide.md#${capabilityAnchor(c)}`)) }
      : { para: 'None beyond the required interface.' },
    { heading: 'Configuration', level: 2 },
    options.length
      ? {
          table: {
            head: ['Option', 'Type', 'Required', 'Default', 'Description'],
            rows: options.map((o) => [code(o.name), code(o.type), o.required ? 'yes' : 'no', o.default === undefined ? '' : code(JSON.stringify(o.default)), plain(o.description ?? '')]),
          },
        }
      : { para: 'No options.' },
    { heading: 'Backend permissions', level: 2 },
    manifest.backendPermissions?.length
      ? { table: { head: ['System', 'Grant', 'Why'], rows: manifest.backendPermissions.map((p) => [plain(p.system), plain(p.grant), plain(p.why)]) } }
      : { para: 'None declared.' },
    { heading: 'Optional dependencies', level: 2 },
    manifest.requires?.length
      ? { table: { head: ['Kind', 'Name', 'Checked on', 'Install'], rows: manifest.requires.map((r) => [r.kind, code(r.name), r.where ?? 'local', code(r.install)]) } }
      : { para: 'None.' },
    { heading: 'Commands it runs', level: 2 },
    { para: manifest.commands.length ? `Through the executor's allow-list only: ${manifest.commands.map(code).join(', ')}.` : 'None.' },
  ];
  return { path: driverPagePath(manifest.name), title: `Driver ${manifest.name}`, blocks };
}

import { Args } from '@oclif/core';
import { CAPABILITY_METHODS, REQUIRED_METHODS } from '../../../core/contract/capability-map.js';
import type { Capability, DriverManifest } from '../../../core/contract/types.js';
import { configOptions, type ConfigOption } from '../../../core/plugins/config-options.js';
import { loadDriverPlugin } from '../../builtin-drivers.js';
import { AshlarCommand } from '../../base-command.js';

export { configOptions, type ConfigOption };

/** `ashlar driver inspect <driver>`: a driver's manifest in readable form or as JSON. */
export default class DriverInspect extends AshlarCommand {
  static override summary = "Show a driver's manifest: capabilities, config options, permissions, dependencies.";
  static override description =
    'The driver is a built-in name (file), a path to a plugin module (./my-driver.ts), or an installed package name (@vendor/driver). With --json the output is the validated manifest plus the config options flattened with their defaults.';
  static override examples = ['<%= config.bin %> driver inspect file', '<%= config.bin %> driver inspect ./my-driver/index.ts --json'];
  static override args = {
    driver: Args.string({ required: true, description: 'Built-in name, path to a plugin module, or package name.' }),
  };

  async run(): Promise<{ manifest: DriverManifest; source: string; configOptions: ConfigOption[]; methods: Record<string, readonly string[]> }> {
    const { args } = await this.parse(DriverInspect);
    const { manifest, source } = await loadDriverPlugin(args.driver);
    const options = configOptions(manifest);
    const methods: Record<string, readonly string[]> = { required: REQUIRED_METHODS };
    for (const cap of manifest.capabilities as Capability[]) methods[cap] = CAPABILITY_METHODS[cap];
    if (!this.jsonEnabled()) {
      const lines = [
        `${manifest.name} ${manifest.version} (${source}) — ${manifest.vendor}`,
        manifest.description,
        '',
        `contract:      ${manifest.contract}`,
        `protocols:     ${manifest.protocols.join(', ')}`,
        `capabilities:  ${manifest.capabilities.join(', ') || '(none)'}`,
        `commands:      ${manifest.commands.join(', ') || '(none)'}`,
        `delete volume with snapshots: ${manifest.semantics.deleteVolumeWithSnapshots}; active-active: ${manifest.semantics.activeActive ? 'yes' : 'no'}`,
        '',
        'config options:',
        ...options.map((o) => `  ${o.name}${o.required ? ' (required)' : ''}: ${o.type}${o.default !== undefined ? ` = ${JSON.stringify(o.default)}` : ''}${o.description ? `\n      ${o.description}` : ''}`),
        '',
        'backend permissions:',
        ...(manifest.backendPermissions ?? []).map((p) => `  ${p.system}: ${p.grant} — ${p.why}`),
        '',
        'optional dependencies:',
        ...((manifest.requires ?? []).length ? (manifest.requires ?? []).map((r) => `  ${r.kind} ${r.name} (install: ${r.install})`) : ['  (none)']),
      ];
      this.log(lines.join('\n'));
    }
    return { manifest, source, configOptions: options, methods };
  }
}

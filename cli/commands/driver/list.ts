import { builtinDriverNames, loadDriverPlugin } from '../../builtin-drivers.js';
import { AshlarCommand } from '../../base-command.js';

/** `ashlar driver list`: the built-in drivers and what they declare. */
export default class DriverList extends AshlarCommand {
  static override summary = 'List the built-in driver plugins.';
  static override description = 'Shows each built-in driver with its version, protocols and declared capabilities. Vendor drivers are loaded by path or package name wherever a command takes --driver or <driver>.';
  static override examples = ['<%= config.bin %> driver list', '<%= config.bin %> driver list --json'];

  async run(): Promise<{ drivers: { name: string; version: string; protocols: string[]; capabilities: string[]; description: string }[] }> {
    await this.parse(DriverList);
    const drivers = [];
    for (const name of builtinDriverNames()) {
      const { manifest } = await loadDriverPlugin(name);
      drivers.push({ name, version: manifest.version, protocols: [...manifest.protocols], capabilities: [...manifest.capabilities], description: manifest.description });
    }
    if (!this.jsonEnabled()) {
      for (const d of drivers) {
        this.log(`${d.name.padEnd(8)} ${d.version.padEnd(8)} ${d.protocols.join(',').padEnd(12)} ${d.capabilities.join(', ')}`);
      }
    }
    return { drivers };
  }
}

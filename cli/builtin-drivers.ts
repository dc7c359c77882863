/**
 * The built-in drivers: the composition root's list, handed to the plugin loader, so the
 * SDK (core/) never depends on the reference drivers. Each is loaded through the same
 * public plugin API as a vendor's.
 */
import type { DriverManifest } from '../core/contract/types.js';
import { loadPlugin, type LoadedPlugin } from '../core/plugins/loader.js';

/** Built-in driver name → module URL. */
export const BUILTIN_DRIVERS: Readonly<Record<string, string>> = {
  file: new URL('../drivers/file/index.js', import.meta.url).href,
  lvm: new URL('../drivers/lvm/index.js', import.meta.url).href,
  rbd: new URL('../drivers/rbd/index.js', import.meta.url).href,
};

/** Names of the built-in drivers, sorted. */
export function builtinDriverNames(): string[] {
  return Object.keys(BUILTIN_DRIVERS).sort();
}

/**
 * Loads a driver by built-in name, path or package name (see `loadPlugin`).
 *
 * @throws PLUGIN_NOT_FOUND, PLUGIN_INVALID or PLUGIN_CONTRACT_MISMATCH.
 */
export function loadDriverPlugin(spec: string): Promise<LoadedPlugin> {
  return loadPlugin(spec, { builtins: BUILTIN_DRIVERS });
}

/** The manifests of every built-in driver, in name order. */
export async function builtinManifests(): Promise<DriverManifest[]> {
  return Promise.all(builtinDriverNames().map(async (n) => (await loadDriverPlugin(n)).manifest));
}

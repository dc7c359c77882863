import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import type { DriverPlugin } from '../contract/plugin.js';
import type { DriverManifest } from '../contract/types.js';
import { CONTRACT_VERSION } from '../contract/version.js';
import { AshlarError } from '../errors/ashlar-error.js';
import { didYouMean } from '../util/did-you-mean.js';
import { importUserModule } from '../util/import-user-module.js';
import { coreValidator, formatSchemaErrors } from '../validation/schema-registry.js';

/** A plugin module that passed the load-time checks. */
export interface LoadedPlugin {
  /** What the user asked for: `file`, `./my-driver.js`, `@vendor/driver`. */
  readonly spec: string;
  readonly source: 'builtin' | 'path' | 'package';
  readonly plugin: DriverPlugin;
  readonly manifest: DriverManifest;
}

/** Options of {@link loadPlugin}. */
export interface LoadPluginOptions {
  /**
   * Plugins known by a bare name (name → module URL): an application's built-in drivers.
   * The SDK knows none of its own; the application that ships drivers passes them.
   */
  readonly builtins?: Readonly<Record<string, string>>;
}

/**
 * Loads a driver plugin: a built-in by name, a module by path (starting with `.` or `/`, or
 * naming an existing module file such as `test/fixtures/x.ts`), or an installed package by
 * name. Checks the manifest against its schema and the
 * contract range against this core.
 *
 * @throws PLUGIN_NOT_FOUND, PLUGIN_INVALID or PLUGIN_CONTRACT_MISMATCH.
 */
export async function loadPlugin(spec: string, options: LoadPluginOptions = {}): Promise<LoadedPlugin> {
  const builtins = options.builtins ?? {};
  let source: LoadedPlugin['source'];
  let url: string;
  if (Object.hasOwn(builtins, spec)) {
    source = 'builtin';
    url = builtins[spec]!;
  } else if (spec.startsWith('.') || path.isAbsolute(spec) || isModuleFile(spec)) {
    source = 'path';
    url = pathToFileURL(path.resolve(spec)).href;
  } else {
    source = 'package';
    url = resolvePackage(spec);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await importUserModule(url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = String((err as Error).message);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      // Either the plugin itself is missing, or something the plugin imports is.
      const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
      const isPluginItself = missing === undefined || url.endsWith(missing) || missing === spec || message.includes(url.replace('file://', '') + "'");
      if (isPluginItself) throw notFound(spec, Object.keys(builtins), err);
      throw new AshlarError('MISSING_DEPENDENCY', {
        details: { driver: spec, kind: 'npm package', name: missing, install: `npm install ${missing}` },
        suggestions: [`npm install ${missing}`],
        cause: err,
      });
    }
    throw new AshlarError('PLUGIN_INVALID', { details: { spec, reason: `importing it failed: ${(err as Error).message}` }, cause: err });
  }
  const plugin = (mod.default ?? mod.plugin) as DriverPlugin | undefined;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.create !== 'function') {
    throw new AshlarError('PLUGIN_INVALID', { details: { spec, reason: 'the module must export a plugin (default export or `plugin`) with a manifest and a create() factory' } });
  }
  const manifest = checkManifest(spec, plugin.manifest);
  return { spec, source, plugin, manifest };
}

/**
 * Checks a manifest against manifest.schema.json and the contract range.
 *
 * @throws PLUGIN_INVALID or PLUGIN_CONTRACT_MISMATCH.
 */
export function checkManifest(spec: string, manifest: unknown): DriverManifest {
  const validate = coreValidator('manifest');
  if (!validate(manifest)) {
    throw new AshlarError('PLUGIN_INVALID', { details: { spec, reason: `manifest: ${formatSchemaErrors(validate.errors, 'manifest').join('; ')}` } });
  }
  const m = manifest as DriverManifest;
  if (semver.validRange(m.contract) === null) {
    throw new AshlarError('PLUGIN_INVALID', { details: { spec, reason: `manifest.contract "${m.contract}" is not a semver range` } });
  }
  if (!semver.satisfies(CONTRACT_VERSION, m.contract)) {
    throw new AshlarError('PLUGIN_CONTRACT_MISMATCH', { details: { spec, range: m.contract, contract: CONTRACT_VERSION } });
  }
  return m;
}

/**
 * A relative path written without `./` (`test/fixtures/x.ts`) would otherwise be taken for
 * a package named by its first segment; a module file that exists there is what was meant.
 */
function isModuleFile(spec: string): boolean {
  return /\.(?:[cm]?[jt]s|tsx|jsx)$/.test(spec) && existsSync(path.resolve(spec));
}

function resolvePackage(spec: string): string {
  for (const base of [path.join(process.cwd(), 'noop.js'), new URL(import.meta.url).pathname]) {
    try {
      return pathToFileURL(createRequire(base).resolve(spec)).href;
    } catch {
      // try the next base; ESM-only packages fall through to a bare import below
    }
  }
  return spec;
}

function notFound(spec: string, builtinNames: readonly string[], cause: unknown): AshlarError {
  const close = didYouMean(spec, builtinNames);
  return new AshlarError('PLUGIN_NOT_FOUND', {
    details: { spec },
    cause,
    suggestions: [...(close ? [`did you mean the built-in driver "${close}"?`] : []), ...(builtinNames.length ? [`built-in drivers: ${[...builtinNames].sort().join(', ')}`] : []), 'a path starts with ./ or / (or names an existing module file)', 'a package must be installed (npm install <name>)'],
  });
}

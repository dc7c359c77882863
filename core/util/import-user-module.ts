/**
 * Imports a module the user named (a driver plugin path, an `--app` module), which may be
 * TypeScript. From the TypeScript sources tsx is already loaded; from the precompiled
 * dist/ tree it is not (that is the point of dist), so it is registered on first need
 * only, and a run that loads no TypeScript never pays for it.
 */

const TYPESCRIPT_FILE = /\.(?:[cm]?ts|tsx)(?:$|[?#])/;

// This file is itself .ts when tsx compiled it and .js in dist/.
const runningCompiled = import.meta.url.endsWith('.js');

let typescriptLoader: Promise<void> | undefined;

/** Whether `specifier` (a URL or path) names a TypeScript file. */
export function isTypeScriptModule(specifier: string): boolean {
  return TYPESCRIPT_FILE.test(specifier);
}

/** Registers tsx's ESM loader in this process, once. */
export function ensureTypeScriptLoader(): Promise<void> {
  typescriptLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return typescriptLoader;
}

/** `import(specifier)`, first registering tsx when the module is TypeScript and we run compiled. */
export async function importUserModule(specifier: string): Promise<unknown> {
  if (runningCompiled && isTypeScriptModule(specifier)) await ensureTypeScriptLoader();
  return import(specifier);
}

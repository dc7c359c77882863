import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as KyselyModule from 'kysely';

/**
 * kysely's runtime values, loaded as CommonJS. Its ESM build is about 260 small modules,
 * and under tsx every ESM module takes a round trip through the loader thread: importing
 * it cost about 550 ms of `ashlar serve` start-up against about 110 ms for the CommonJS
 * build (measured on these machines). Under dist/, `npm run build` also leaves a one-file
 * bundle of that CommonJS build in dist/vendor/ (30–40 ms to load), used when present;
 * from the sources it is absent and the installed package is loaded. Types still come
 * from `kysely` with `import type`, which is erased. Every runtime use of kysely in the
 * service goes through this module, so only one copy of kysely is ever loaded.
 */
export const kysely: typeof KyselyModule = loadKysely();

function loadKysely(): typeof KyselyModule {
  const require = createRequire(import.meta.url);
  // dist/core/service/db/ → dist/vendor/; from core/service/db/ the path does not exist.
  const bundled = fileURLToPath(new URL('../../vendor/kysely.cjs', import.meta.url));
  return (existsSync(bundled) ? require(bundled) : require('kysely')) as typeof KyselyModule;
}

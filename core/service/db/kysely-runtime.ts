import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

/**
 * kysely's runtime values, loaded from its CommonJS build. Its ESM build is about 260
 * small modules, and under tsx every ESM module takes a round trip through the loader
 * thread: importing it cost about 550 ms of `ashlar serve` start-up against about 110 ms
 * for the CommonJS build (measured on these machines). Types still come from `kysely`
 * with `import type`, which is erased. Every runtime use of kysely in the service goes
 * through this module, so only one copy of kysely is ever loaded.
 */
export const kysely: typeof KyselyModule = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

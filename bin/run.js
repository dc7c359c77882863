#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2 (MiB): V8's young generation otherwise grows to 3 × 16 MiB under
// load, which made up most of `ashlar serve`'s peak RSS above its idle 85 MiB (bench/
// service-load.ts: about 100 MiB instead of 120–130 after a create load), at no measured
// cost in request rates or in conformance run time. It must be given at start-up, hence
// the shebang (`ashlar`, `npx ashlar`, `./bin/run.js`); `node bin/run.js` runs without it.
// Two ways to run the same CLI:
// - dist/, the sources precompiled 1:1 by `npm run build` (run by `prepare`, so `npm ci`
//   builds it): plain Node, no TypeScript loader, about a third of the start-up time and
//   memory. Used only when its stamp matches the sources on disk exactly.
// - otherwise the TypeScript sources through tsx, so an edited checkout never runs old code
//   and there is no build step between an edit and a working CLI.
// ASHLAR_RUNTIME=dist|tsx forces one (dist fails when it is missing or stale).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute, settings } from '@oclif/core';
import { distIsFresh } from './dist-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forced = process.env.ASHLAR_RUNTIME;
if (forced !== undefined && forced !== '' && forced !== 'dist' && forced !== 'tsx') {
  console.error(`ASHLAR_RUNTIME must be "dist" or "tsx", not "${forced}"`);
  process.exit(1);
}
const useDist = forced === 'tsx' ? false : distIsFresh(root);
if (forced === 'dist' && !useDist) {
  console.error('ASHLAR_RUNTIME=dist, but dist/ is missing or older than the sources: run `npm run build`');
  process.exit(1);
}

if (useDist) {
  // package.json names the TypeScript command list and hooks; point oclif at their compiled twins, and
  // keep oclif from registering a TypeScript loader of its own (it does under NODE_ENV=test).
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const commands = pjson.oclif.commands;
  const toDist = (target) => `./${path.posix.join('dist', target.replace(/\.ts$/, '.js'))}`;
  pjson.oclif.commands = { ...commands, target: toDist(commands.target) };
  pjson.oclif.hooks = Object.fromEntries(Object.entries(pjson.oclif.hooks ?? {}).map(([event, h]) => [event, { ...h, target: toDist(h.target) }]));
  settings.enableAutoTranspile = false;
  await execute({ loadOptions: { root, pjson } });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await execute({ dir: import.meta.url });
}

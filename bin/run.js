#!/usr/bin/env node
// Ashlar runs its TypeScript sources directly: tsx compiles on load, so there is no build
// step between a checkout and a working CLI.
import { register } from 'tsx/esm/api';
import { execute } from '@oclif/core';

register();
await execute({ dir: import.meta.url });

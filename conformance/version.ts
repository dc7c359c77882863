import { readFileSync } from 'node:fs';
import { packagePath } from '../core/util/package-root.js';

/** Ashlar's version, from package.json, for reports. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

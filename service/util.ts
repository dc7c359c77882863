import { randomUUID } from 'node:crypto';

/** Now, as Cinder prints times: `2024-05-01T10:00:00.000000`. */
export function now(): string {
  return new Date().toISOString().replace('Z', '000');
}

/** A new resource id. */
export function newId(): string {
  return randomUUID();
}

/** Parses a JSON column that holds a string map. */
export function parseMap(text: string | null | undefined): Record<string, string> {
  if (!text) return {};
  return JSON.parse(text) as Record<string, string>;
}

/** Cinder's lenient boolean strings. */
export function toBool(value: unknown, fallback = false): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  return ['true', 't', 'yes', 'y', 'on', '1'].includes(String(value).trim().toLowerCase());
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new transfer auth key: 16 hex characters, as long as Cinder's. Shown once, never stored. */
export function newAuthKey(): string {
  return randomBytes(8).toString('hex');
}

/** A new salt for hashing an auth key. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The stored form of an auth key: SHA-256 of salt and key, hex. */
export function hashAuthKey(salt: string, key: string): string {
  return createHash('sha256').update(salt).update(key).digest('hex');
}

/** True when `key` hashes to `hash`; compared in constant time. */
export function authKeyMatches(salt: string, hash: string, key: string): boolean {
  const given = Buffer.from(hashAuthKey(salt, key), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { header, type AuthHeaders, type Authenticator, type Identity } from './authenticator.js';

/**
 * HTTP Basic against an htpasswd file of bcrypt entries (`htpasswd -B`), for standalone
 * deployments. The project is taken from the configured user → project map, else it is the
 * user name. Successful checks are cached by a digest of the credentials, so bcrypt's
 * deliberate slowness is paid once per user, not per request; the cache is dropped when the
 * file changes.
 */
export class HttpBasicAuthenticator implements Authenticator {
  readonly strategy = 'http_basic';
  readonly #file: string;
  readonly #projectMap: ReadonlyMap<string, string>;
  #users = new Map<string, string>();
  #mtimeMs = -1;
  readonly #verified = new Map<string, Identity>();

  constructor(file: string, projectMap: ReadonlyMap<string, string>) {
    this.#file = file;
    this.#projectMap = projectMap;
    this.#reload();
  }

  async authenticate(headers: AuthHeaders): Promise<Identity> {
    const auth = header(headers, 'authorization');
    if (!auth?.toLowerCase().startsWith('basic ')) throw new AshlarError('UNAUTHORIZED');
    this.#reload();
    const digest = createHash('sha256').update(auth).digest('hex');
    const cached = this.#verified.get(digest);
    if (cached) return cached;
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 1) throw new AshlarError('UNAUTHORIZED');
    const user = decoded.slice(0, i);
    const hash = this.#users.get(user);
    // bcryptjs reads $2y$ (Apache's prefix) as $2a$; the algorithms agree.
    if (!hash || !(await bcrypt.compare(decoded.slice(i + 1), hash.replace(/^\$2y\$/, '$2a$')))) throw new AshlarError('UNAUTHORIZED');
    const identity = { userId: user, projectId: this.#projectMap.get(user) ?? user };
    if (this.#verified.size > 1000) this.#verified.clear();
    this.#verified.set(digest, identity);
    return identity;
  }

  #reload(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.#file).mtimeMs;
    } catch (err) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `[DEFAULT] http_basic_auth_user_file ${this.#file}: ${(err as Error).message}`, section: 'DEFAULT', key: 'http_basic_auth_user_file' } });
    }
    if (mtimeMs === this.#mtimeMs) return;
    const users = new Map<string, string>();
    for (const line of readFileSync(this.#file, 'utf8').split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const i = t.indexOf(':');
      const hash = t.slice(i + 1);
      if (i < 1 || !/^\$2[aby]\$/.test(hash)) {
        throw new AshlarError('CONFIG_INVALID', { details: { reason: `[DEFAULT] http_basic_auth_user_file ${this.#file}: only bcrypt entries (htpasswd -B) are accepted`, section: 'DEFAULT', key: 'http_basic_auth_user_file' } });
      }
      users.set(t.slice(0, i), hash);
    }
    this.#users = users;
    this.#verified.clear();
    this.#mtimeMs = mtimeMs;
  }
}

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { header, type AuthClient, type AuthHeaders, type Authenticator, type Identity } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';

/**
 * HTTP Basic against an htpasswd file of bcrypt entries (`htpasswd -B`), for standalone
 * deployments. The project is taken from the configured user → project map, else it is the
 * user name. Successful checks are cached by a digest of the credentials, so bcrypt's
 * deliberate slowness is paid once per user, not per request; the cache is dropped when the
 * file changes. Failed logins are throttled per user and client address (login-throttle.ts);
 * the cache is consulted first, so a user already logged in is never held back by
 * someone else's guesses.
 */
export class HttpBasicAuthenticator implements Authenticator {
  readonly strategy = 'http_basic';
  readonly challenge = 'Basic realm="ashlar", charset="UTF-8"';
  readonly #file: string;
  readonly #projectMap: ReadonlyMap<string, string>;
  #users = new Map<string, string>();
  #mtimeMs = -1;
  readonly #verified = new Map<string, Identity>();
  readonly #throttle: LoginThrottle;

  constructor(file: string, projectMap: ReadonlyMap<string, string>, throttle: LoginThrottle = new LoginThrottle()) {
    this.#file = file;
    this.#projectMap = projectMap;
    this.#throttle = throttle;
    this.#reload();
  }

  /**
   * @throws UNAUTHORIZED for missing or wrong credentials; LOGIN_THROTTLED (429) while
   * the user's failures from this address (or this address's) are being delayed.
   */
  async authenticate(headers: AuthHeaders, client: AuthClient = { address: 'unknown' }): Promise<Identity> {
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
    const waitMs = this.#throttle.waitMs(user, client.address);
    if (waitMs > 0) throw new AshlarError('LOGIN_THROTTLED', { details: { retryAfter: Math.ceil(waitMs / 1000) } });
    const hash = this.#users.get(user);
    // bcryptjs reads $2y$ (Apache's prefix) as $2a$; the algorithms agree.
    if (!hash || !(await bcrypt.compare(decoded.slice(i + 1), hash.replace(/^\$2y\$/, '$2a$')))) {
      this.#throttle.failed(user, client.address);
      throw new AshlarError('UNAUTHORIZED');
    }
    this.#throttle.succeeded(user, client.address);
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

/**
 * Failed-login throttling for password strategies. Each failure is counted per user and
 * client address, and per client address alone; past a few free attempts the key is
 * refused for a delay that doubles with every further failure (up to a ceiling), without
 * checking the password, so an attacker can no longer make every guess cost a full bcrypt
 * comparison. Keying on the client address means guesses from elsewhere never lock a real
 * user out; and a credential that was already verified is accepted from the cache before
 * the throttle is consulted, so even a client behind the attacker's address keeps working.
 */

/** How a {@link LoginThrottle} counts. */
export interface LoginThrottleOptions {
  /** Failures per user and address before the delays start. @defaultValue 5 */
  readonly freePerUser?: number;
  /** Failures per address (any users) before the delays start. @defaultValue 20 */
  readonly freePerAddress?: number;
  /** The first delay, doubled with each further failure. @defaultValue 1000 */
  readonly baseDelayMs?: number;
  /** The longest delay. @defaultValue 300000 (5 minutes) */
  readonly maxDelayMs?: number;
  /** A key with no failure for this long is forgotten. @defaultValue 900000 (15 minutes) */
  readonly forgetAfterMs?: number;
  /** Keys kept at most; the least recently failed go first. @defaultValue 10000 */
  readonly maxKeys?: number;
  /** The clock (tests). @defaultValue Date.now */
  readonly now?: () => number;
}

interface Failures {
  count: number;
  last: number;
  blockedUntil: number;
}

/** Counts failed logins and says when a login attempt must wait. */
export class LoginThrottle {
  readonly #o: Required<LoginThrottleOptions>;
  readonly #keys = new Map<string, Failures>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#o = { freePerUser: 5, freePerAddress: 20, baseDelayMs: 1000, maxDelayMs: 300_000, forgetAfterMs: 900_000, maxKeys: 10_000, now: Date.now, ...options };
  }

  /** Milliseconds until `user` may try again from `address`; 0 when it may try now. */
  waitMs(user: string, address: string): number {
    const now = this.#o.now();
    return Math.max(0, ...[userKey(user, address), addressKey(address)].map((k) => (this.#live(k, now)?.blockedUntil ?? 0) - now));
  }

  /** Records a failed attempt. */
  failed(user: string, address: string): void {
    const now = this.#o.now();
    this.#count(userKey(user, address), this.#o.freePerUser, now);
    this.#count(addressKey(address), this.#o.freePerAddress, now);
  }

  /** A successful login clears the user's failures from that address. */
  succeeded(user: string, address: string): void {
    this.#keys.delete(userKey(user, address));
  }

  #live(key: string, now: number): Failures | undefined {
    const f = this.#keys.get(key);
    if (f && now - f.last > this.#o.forgetAfterMs) {
      this.#keys.delete(key);
      return undefined;
    }
    return f;
  }

  #count(key: string, free: number, now: number): void {
    const f = this.#live(key, now) ?? { count: 0, last: now, blockedUntil: 0 };
    f.count++;
    f.last = now;
    if (f.count >= free) f.blockedUntil = now + Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** Math.min(30, f.count - free));
    // Re-inserted so the map's order is least recently failed first.
    this.#keys.delete(key);
    this.#keys.set(key, f);
    while (this.#keys.size > this.#o.maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
  }
}

const userKey = (user: string, address: string) => `u\0${address}\0${user}`;
const addressKey = (address: string) => `a\0${address}`;

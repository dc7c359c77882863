import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { HttpBasicAuthenticator } from '../../../service/auth/http-basic.js';
import { LoginThrottle } from '../../../service/auth/login-throttle.js';
import { startTestService } from '../helpers.js';

const basic = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

// Issue 15, item 4: failed http_basic logins were not throttled (each cost a full bcrypt
// check, slowing every other user) and a 401 carried no WWW-Authenticate.
describe('http_basic login throttling (issue 15)', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-throttle-'));
    file = path.join(dir, 'htpasswd');
    await writeFile(file, `carol:${bcrypt.hashSync('s3cret', 4)}\ndave:${bcrypt.hashSync('pw', 4)}\n`);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a user from an address after five failures without checking the password, then doubles the delay', async () => {
    let now = 1_000_000;
    const auth = new HttpBasicAuthenticator(file, new Map(), new LoginThrottle({ now: () => now }));
    const attacker = { address: '10.0.0.66' };
    for (let i = 0; i < 5; i++) expect(await codeOf(auth.authenticate(basic('carol', `guess${i}`), attacker))).to.equal('UNAUTHORIZED');
    // Refused before the password is looked at: even the right one waits.
    expect(await codeOf(auth.authenticate(basic('carol', 's3cret'), attacker))).to.equal('LOGIN_THROTTLED');
    now += 1001;
    expect(await codeOf(auth.authenticate(basic('carol', 'guess5'), attacker))).to.equal('UNAUTHORIZED');
    now += 1001;
    expect(await codeOf(auth.authenticate(basic('carol', 's3cret'), attacker)), 'the second delay is longer').to.equal('LOGIN_THROTTLED');
    now += 1000;
    expect(await codeOf(auth.authenticate(basic('carol', 's3cret'), attacker))).to.equal('ok');
    // Success clears the count.
    expect(await codeOf(auth.authenticate(basic('carol', 'again'), attacker))).to.equal('UNAUTHORIZED');
    expect(await codeOf(auth.authenticate(basic('carol', 'again2'), attacker))).to.equal('UNAUTHORIZED');
  });

  it('never locks the real user out: other addresses and already verified credentials still work', async () => {
    const now = 5_000_000;
    const auth = new HttpBasicAuthenticator(file, new Map(), new LoginThrottle({ now: () => now }));
    const attacker = { address: '10.0.0.66' };
    expect(await codeOf(auth.authenticate(basic('dave', 'pw'), attacker))).to.equal('ok');
    for (let i = 0; i < 8; i++) await codeOf(auth.authenticate(basic('carol', `guess${i}`), attacker));
    expect(await codeOf(auth.authenticate(basic('carol', 's3cret'), attacker))).to.equal('LOGIN_THROTTLED');
    expect(await codeOf(auth.authenticate(basic('carol', 's3cret'), { address: '10.0.0.7' }))).to.equal('ok');
    // A credential verified before the attack is served from the cache, even from the attacker's address.
    expect(await codeOf(auth.authenticate(basic('dave', 'pw'), attacker))).to.equal('ok');
  });

  it('throttles an address spraying many user names', async () => {
    const now = 9_000_000;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 20; i++) throttle.failed(`user${i}`, '10.0.0.66');
    expect(throttle.waitMs('someone-new', '10.0.0.66')).to.be.greaterThan(0);
    expect(throttle.waitMs('someone-new', '10.0.0.67')).to.equal(0);
  });

  it('forgets old failures and keeps a bounded number of keys', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, maxKeys: 3, freePerAddress: 1000 });
    for (let i = 0; i < 5; i++) throttle.failed('carol', 'a');
    expect(throttle.waitMs('carol', 'a')).to.be.greaterThan(0);
    now += 900_001;
    expect(throttle.waitMs('carol', 'a')).to.equal(0);
    for (let i = 0; i < 5; i++) throttle.failed('carol', 'b');
    for (const addr of ['c', 'd', 'e']) throttle.failed('x', addr);
    expect(throttle.waitMs('carol', 'b'), 'evicted as least recently failed').to.equal(0);
  });

  it('answers 401 with WWW-Authenticate, then 429 with Retry-After over HTTP', async () => {
    const t = await startTestService(`[DEFAULT]\nauth_strategy = http_basic\nhttp_basic_auth_user_file = ${file}\n`);
    try {
      const get = (h: Record<string, string>) => fetch(`${t.url}/v3/volumes`, { headers: h });
      const none = await get({});
      expect(none.status).to.equal(401);
      expect(none.headers.get('www-authenticate')).to.equal('Basic realm="ashlar", charset="UTF-8"');
      const wrong = await get(basic('carol', 'nope'));
      expect(wrong.status).to.equal(401);
      expect(wrong.headers.get('www-authenticate')).to.match(/^Basic /);
      // The delays double, so some attempt lands in one however slowly these run.
      let throttled: Response | undefined;
      for (let i = 0; i < 12 && !throttled; i++) {
        const r = await get(basic('carol', `nope${i}`));
        if (r.status === 429) throttled = r;
        else expect(r.status).to.equal(401);
      }
      expect(throttled, 'a 429 among the failures').to.not.equal(undefined);
      expect(Number(throttled!.headers.get('retry-after'))).to.be.greaterThan(0);
      expect(((await throttled!.json()) as { overLimit: { code: number } }).overLimit.code).to.equal(429);
    } finally {
      await t.stop();
    }
  });
});

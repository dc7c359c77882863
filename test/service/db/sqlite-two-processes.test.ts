import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { openSqlite } from '../../../service/db/open-sqlite.js';
import { kysely } from '../../../service/db/kysely-runtime.js';

/**
 * A second process writes the same SQLite file while this one runs transactions that read
 * and then write: the shape of two `ashlar serve` roles on one state directory (quota
 * checks count rows, then insert). With kysely's deferred BEGIN the read snapshot went
 * stale and the write failed at once with SQLITE_BUSY_SNAPSHOT.
 */
describe('SQLite shared by two processes', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-sqlite-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs read-then-write transactions while another process commits writes, none failing', async () => {
    const file = path.join(dir, 'shared.db');
    const { db } = await openSqlite({ kind: 'sqlite', path: file });
    await kysely.sql`create table counters (who text, n integer)`.execute(db);
    // The other process: better-sqlite3 on the same file, committing a row every few ms.
    const writer = `
      const S = require('better-sqlite3'); const d = new S(process.argv[1]);
      d.pragma('journal_mode = WAL'); d.pragma('busy_timeout = 10000');
      const ins = d.prepare("insert into counters (who, n) values ('other', ?)");
      process.stdout.write('ready\\n');
      let i = 0; const end = Date.now() + 60000;
      const tick = () => { if (Date.now() > end) return process.exit(0); ins.run(i++); setTimeout(tick, 1); };
      tick();`;
    const child = spawn(process.execPath, ['-e', writer, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the writer process exited (${code}) before it was ready`)));
      });
      const failures: string[] = [];
      for (let i = 0; i < 60; i++) {
        await db
          .transaction()
          .execute(async (trx) => {
            const seen = await kysely.sql<{ c: number }>`select count(*) as c from counters`.execute(trx);
            // Let the other process commit between this transaction's read and its write.
            await delay(5);
            await kysely.sql`insert into counters (who, n) values ('this', ${Number(seen.rows[0]!.c)})`.execute(trx);
          })
          .catch((err: Error & { code?: string }) => failures.push(err.code ?? err.message));
      }
      expect(failures, 'transactions that failed').to.deep.equal([]);
      const mine = await kysely.sql<{ c: number }>`select count(*) as c from counters where who = 'this'`.execute(db);
      expect(Number(mine.rows[0]!.c)).to.equal(60);
      const theirs = await kysely.sql<{ c: number }>`select count(*) as c from counters where who = 'other'`.execute(db);
      expect(Number(theirs.rows[0]!.c), 'the other process kept committing meanwhile').to.be.greaterThan(0);
    } finally {
      child.kill();
      await db.destroy();
    }
  });
});

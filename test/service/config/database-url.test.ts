import { expect } from 'chai';
import { parseDatabaseUrl, redactedDatabaseUrl } from '../../../service/config/database-url.js';
import { parseIni } from '../../../service/config/ini.js';
import { buildServiceConfig } from '../../../service/config/service-config.js';

const OPTS = { busyTimeoutMs: 5000, poolSize: 7 };
const parse = (url: string | undefined) => parseDatabaseUrl(url, '/srv/state', OPTS);
const failure = (fn: () => unknown): { code: string; message: string; reason: string } => {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; message: string; details: { reason: string } };
    return { code: e.code, message: e.message, reason: e.details.reason };
  }
  throw new Error('expected an error');
};

describe('[database] connection URLs as cinder.conf spells them', () => {
  it('reads mysql+pymysql://, mysql:// and mariadb:// as MariaDB, with a percent-encoded password', () => {
    for (const scheme of ['mysql+pymysql', 'mysql', 'mariadb', 'MySQL+PyMySQL']) {
      expect(parse(`${scheme}://cinder:p%40ss%3Aw0rd@db.example:3307/cinder?charset=utf8`)).to.deep.equal({
        kind: 'mariadb',
        host: 'db.example',
        port: 3307,
        user: 'cinder',
        password: 'p@ss:w0rd',
        database: 'cinder',
        poolSize: 7,
      });
    }
    expect(parse('mysql://u:p@[::1]/d')).to.deep.include({ host: '::1', port: 3306 });
  });

  it('keeps SQLite and PostgreSQL as before, and accepts postgresql+psycopg2://', () => {
    expect(parse(undefined)).to.deep.equal({ kind: 'sqlite', path: '/srv/state/ashlar.db', busyTimeoutMs: 5000 });
    expect(parse('sqlite://rel.db')).to.deep.include({ kind: 'sqlite', path: '/srv/state/rel.db' });
    expect(parse('sqlite:////abs/x.db')).to.deep.include({ kind: 'sqlite', path: '/abs/x.db' });
    expect(parse('postgresql+psycopg2://u:p@h:5433/d')).to.deep.equal({ kind: 'postgresql', url: 'postgresql://u:p@h:5433/d', poolSize: 7 });
    expect(parse('postgres://u@h/d')).to.deep.include({ url: 'postgresql://u@h/d' });
  });

  it('refuses a MariaDB URL without a user or database, or with unknown parameters, never repeating the password', () => {
    for (const url of ['mysql+pymysql://cinder:Sup3rSecret@db/', 'mysql://:Sup3rSecret@db/cinder', 'mysql://cinder:Sup3rSecret@db/cinder?ssl_ca=x', 'mysql://cinder:Sup3r@Secret@db/a/b']) {
      const f = failure(() => parse(url));
      expect(f.code, url).to.equal('CONFIG_INVALID');
      expect(f.reason, url).to.match(/^\[database\] connection /);
      expect(`${f.message} ${f.reason}`, url).to.not.match(/Sup3r|Secret/);
    }
  });

  it('refuses other schemes through the section schema, naming the key and not the value', () => {
    const f = failure(() => buildServiceConfig(parseIni('[database]\nconnection = oracle://u:Sup3rSecret@h/d\n'), { statePath: '/tmp/x' }));
    expect(f.code).to.equal('CONFIG_INVALID');
    expect(f.reason).to.include('[database] connection');
    expect(f.reason).to.not.include('Sup3rSecret');
  });

  it('builds the service config from a MariaDB URL with the pool size of [database] max_pool_size', () => {
    const c = buildServiceConfig(parseIni('[database]\nconnection = mysql+pymysql://cinder:pw@127.0.0.1:3306/cinder\nmax_pool_size = 4\n'), { statePath: '/tmp/x' });
    expect(c.database).to.deep.equal({ kind: 'mariadb', host: '127.0.0.1', port: 3306, user: 'cinder', password: 'pw', database: 'cinder', poolSize: 4 });
  });

  it('masks the whole password when redacting, even one with an unencoded @', () => {
    expect(redactedDatabaseUrl('mysql://cinder:Sup3r@Secret@db:3306/cinder')).to.equal('mysql://cinder:***@db:3306/cinder');
    expect(redactedDatabaseUrl('mysql://cinder@db/cinder')).to.equal('mysql://cinder@db/cinder');
  });
});

import { expect } from 'chai';
import { parseIni } from '../../service/config/ini.js';
import { buildServiceConfig } from '../../service/config/service-config.js';
import { BackendRegistry } from '../../service/manager/backends.js';
import { silentLogger } from '../../core/logging.js';
import { BUILTIN_DRIVERS } from '../../cli/builtin-drivers.js';

const build = (ini: string) => buildServiceConfig(parseIni(ini), { statePath: '/tmp/ashlar-config-test' });
const codeAndReason = (fn: () => unknown): { code: string; reason: string } => {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; details: { reason: string } };
    return { code: e.code, reason: e.details.reason };
  }
  throw new Error('expected an error');
};

describe('service config (cinder.conf-style INI)', () => {
  it('runs with embedded defaults: one file backend under the state dir, 127.0.0.1:8776, SQLite', () => {
    const c = build('');
    expect(c.port).to.equal(8776);
    expect(c.listen).to.equal('127.0.0.1');
    expect(c.database).to.deep.include({ kind: 'sqlite', path: '/tmp/ashlar-config-test/ashlar.db' });
    expect(c.backends).to.deep.equal([{ section: 'file', driver: 'file', backendName: 'file', availabilityZone: 'nova', driverOptions: { directory: '/tmp/ashlar-config-test/volumes' } }]);
  });

  it('lets backend sections inherit [backend_defaults], their own keys winning', () => {
    const c = build('[DEFAULT]\nenabled_backends = a, b\n[backend_defaults]\nvolume_driver = file\nreflink = never\nbackend_availability_zone = az1\n[a]\ndirectory = /tmp/a\n[b]\ndirectory = /tmp/b\nreflink = auto\nbackend_availability_zone = az2\n');
    expect(c.backends.map((b) => [b.section, b.availabilityZone, b.driverOptions.reflink])).to.deep.equal([['a', 'az1', 'never'], ['b', 'az2', 'auto']]);
  });

  it('names the section and key of a bad value, an unknown key and a missing backend section', () => {
    expect(codeAndReason(() => build('[DEFAULT]\nosapi_volume_listen_port = many\n'))).to.deep.equal({ code: 'CONFIG_INVALID', reason: '[DEFAULT] osapi_volume_listen_port: must be integer' });
    expect(codeAndReason(() => build('[quota]\nvolums = 3\n')).reason).to.equal('[quota] unknown option "volums" (did you mean "volumes"?)');
    expect(codeAndReason(() => build('[DEFAULT]\nenabled_backends = x\n')).reason).to.match(/enabled_backends lists "x" but there is no \[x\] section/);
    expect(codeAndReason(() => build('[lvm]\nvolume_driver = file\n')).reason).to.match(/\[lvm\] is not a known section/);
    expect(codeAndReason(() => parseIni('[DEFAULT]\nthis line is bad\n', 'a.conf')).reason).to.match(/^a\.conf:2: expected/);
  });

  it('reads [coordination] backend_url in the tooz spelling: memory:// or etcd3+http(s)://HOST:PORT', () => {
    expect(build('').coordination).to.deep.equal({ kind: 'memory' });
    expect(build('[coordination]\nbackend_url = etcd3+http://127.0.0.1:2379\n').coordination).to.deep.equal({ kind: 'etcd', endpoints: ['http://127.0.0.1:2379'], lockTimeoutS: 30 });
    expect(build('[coordination]\nbackend_url = etcd3+https://e1.example:2379,[::1]:2379/\nlock_timeout = 5\n').coordination).to.deep.equal({ kind: 'etcd', endpoints: ['https://e1.example:2379', 'https://[::1]:2379'], lockTimeoutS: 5 });
  });

  it('refuses any other coordination backend with an error naming [coordination] backend_url', () => {
    const reasonOf = (url: string) => codeAndReason(() => build(`[coordination]\nbackend_url = ${url}\n`));
    for (const url of ['zookeeper://127.0.0.1:2181', 'redis://localhost', 'memory:///x', 'etcd3+http://', 'etcd3+http://host', 'etcd3+http://host:99999', 'etcd3+http://u:p@host:2379', 'etcd3+http://host:2379?lock_timeout=3', 'etcd3+http://host:2379/v3']) {
      const { code, reason } = reasonOf(url);
      expect(code, url).to.equal('CONFIG_INVALID');
      expect(reason, url).to.match(/^\[coordination\] backend_url /);
    }
    expect(reasonOf('etcd3://127.0.0.1:2379').reason).to.include('did you mean etcd3+http://127.0.0.1:2379?');
    expect(codeAndReason(() => build('[coordination]\nlock_timeout = 1\n')).reason).to.equal('[coordination] lock_timeout: must be >= 2');
  });

  it("checks each backend's driver options against the driver's own schema, naming the section", async () => {
    const c = build('[DEFAULT]\nenabled_backends = fast\n[fast]\ndirectory = /tmp/ashlar-config-test/fast\nreflnk = never\n');
    const err = await BackendRegistry.load('h', c.backends, silentLogger(), BUILTIN_DRIVERS).catch((e: unknown) => e as { code: string; message: string });
    expect((err as { code: string }).code).to.equal('CONFIG_INVALID');
    expect((err as { message: string }).message).to.contain('[fast] unknown option "reflnk" (did you mean "reflink"?)');
  });

  it('takes [DEFAULT] cluster only with etcd coordination and a server database, naming the option', () => {
    const etcd = '[coordination]\nbackend_url = etcd3+http://127.0.0.1:2379\n';
    const pg = '[database]\nconnection = postgresql://ashlar@127.0.0.1:5432/ashlar\n';
    expect(build(`[DEFAULT]\ncluster = c1\n${etcd}${pg}`).cluster).to.equal('c1');
    expect(build('').cluster).to.equal(undefined);
    const memory = codeAndReason(() => build(`[DEFAULT]\ncluster = c1\n${pg}`));
    expect(memory.code).to.equal('CONFIG_INVALID');
    expect(memory.reason).to.match(/^\[DEFAULT\] cluster needs \[coordination\] backend_url = etcd3/);
    expect(codeAndReason(() => build(`[DEFAULT]\ncluster = c1\n${etcd}`)).reason).to.match(/^\[DEFAULT\] cluster needs a server database .*cannot share an SQLite file/);
    expect(codeAndReason(() => build(`[DEFAULT]\ncluster = a b\n${etcd}${pg}`)).reason).to.match(/^\[DEFAULT\] cluster: must match pattern/);
  });
});

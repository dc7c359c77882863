import { AshlarError } from '../../core/errors/ashlar-error.js';

/** Where the service's locks live, from `[coordination]`. */
export type CoordinationConfig =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'etcd';
      /** Client URLs (`http://HOST:PORT`), one per member. */
      readonly endpoints: readonly string[];
      /** Seconds a silent process keeps its locks and its claimed work. */
      readonly lockTimeoutS: number;
    };

const ENDPOINT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/**
 * Parses `[coordination] backend_url` in the spelling tooz gives Cinder operators:
 * `memory://` (in-process locks), or `etcd3+http://HOST:PORT` / `etcd3+https://HOST:PORT`
 * (several members separated by commas). @throws CONFIG_INVALID naming the key.
 */
export function parseCoordinationUrl(url: string, lockTimeoutS: number): CoordinationConfig {
  if (url === 'memory://') return { kind: 'memory' };
  const m = /^etcd3\+(https?):\/\/([^/?#]*)\/?([?#].*)?$/.exec(url);
  if (!m) {
    const hint = /^etcd3?:\/\//.test(url) ? ` (did you mean etcd3+http://${url.replace(/^etcd3?:\/\//, '')}?)` : '';
    fail(url, `is not supported${hint}: use memory:// (one volume service per host) or etcd3+http://HOST:PORT (etcd 3.4+, active-active)`);
  }
  const [, scheme, authority, extra] = m;
  if (extra) fail(url, 'must not carry query options: set [coordination] lock_timeout instead');
  if (authority!.includes('@')) fail(url, 'must not carry credentials: etcd authentication is not supported');
  const endpoints = authority!.split(',').map((hostPort) => {
    const e = ENDPOINT.exec(hostPort);
    const port = Number(e?.[2]);
    if (!e || port < 1 || port > 65535) fail(url, `names "${hostPort}", which is not HOST:PORT`);
    return `${scheme}://${hostPort}`;
  });
  return { kind: 'etcd', endpoints, lockTimeoutS };
}

function fail(url: string, reason: string): never {
  throw new AshlarError('CONFIG_INVALID', { details: { reason: `[coordination] backend_url "${url}" ${reason}`, section: 'coordination', key: 'backend_url' } });
}

import type { ConnectionInfo, RbdConnectionInfo } from '../contract/types.js';
import { AshlarError } from '../errors/ashlar-error.js';
import type { Executor } from '../executor/executor.js';
import type { Connector, ConnectorContext, VolumeConnection } from './connector.js';
import { parseQemuHexdump } from './qemu-hexdump.js';
import { encodeRbdDiff } from './rbd-diff.js';

/** Names that reach argv and qemu's rbd filename: no separators, no option-like leading '-'. */
const CEPH_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+=~-]{0,254}$/;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const PORT = /^[0-9]{1,5}$/;
const SAFE_PATH = /^\/[^\0:,;=\\\s]*$/;
/** Largest range one qemu-io process reads: its hex dump is about 5 bytes of text per byte. */
const READ_CHUNK = 8 * 1024 * 1024;
/** Time limit of each data-path command. */
const COMMAND_TIMEOUT_MS = 120_000;

/** Where and as whom to reach one image, checked before anything reaches a command line. */
interface RbdTarget {
  readonly pool: string;
  readonly image: string;
  readonly monHost: string;
  readonly user: string | undefined;
  readonly keyring: string | undefined;
  readonly conf: string | undefined;
  readonly readOnly: boolean;
}

/**
 * Reads and writes RBD images for data checks (conformance, tests), in the spirit of
 * os-brick's RBD connector but without a kernel mapping, one short process per call, so
 * touching 4 KiB of a 1 TiB image costs the same as of a 1 GiB one:
 * - reads: `qemu-io -r -c 'read -v OFF LEN'` (Debian's qemu-utils + qemu-block-extra,
 *   librbd inside), whose hex dump is parsed back into bytes;
 * - writes: `rbd import-diff -` fed a one-extent diff stream on stdin (stdin reaches
 *   the command through any transport; qemu-io's pattern file would need a path there);
 * - size: `rbd info`.
 * Every command runs through the driver's executor, so its allow-list applies.
 */
export class RbdConnector implements Connector {
  readonly protocol = 'rbd' as const;

  async connect(info: ConnectionInfo, context: ConnectorContext): Promise<VolumeConnection> {
    if (info.driver_volume_type !== 'rbd') {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `rbd connector cannot attach ${info.driver_volume_type}` } });
    }
    const executor = context.executor;
    if (executor === undefined) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'the rbd connector runs rbd and qemu-io through the driver\'s executor; pass it as context.executor' } });
    }
    const target = parseTarget(info);
    const io = new RbdImageIo(executor, target, context.signal);
    await io.size(); // fails with VOLUME_NOT_FOUND now rather than on first use
    return {
      read: (offset, length) => io.read(offset, length),
      write: (offset, data) => io.write(offset, data),
      size: () => io.size(),
      close: async () => undefined,
    };
  }
}

/** The commands behind one connection. */
class RbdImageIo {
  readonly #executor: Executor;
  readonly #target: RbdTarget;
  readonly #signal: AbortSignal | undefined;

  constructor(executor: Executor, target: RbdTarget, signal: AbortSignal | undefined) {
    this.#executor = executor;
    this.#target = target;
    this.#signal = signal;
  }

  /** `rbd` with this target's monitors and credentials. */
  #rbdArgv(args: readonly string[]): string[] {
    const t = this.#target;
    return [
      'rbd', '--conf', t.conf ?? '/dev/null', '-m', t.monHost,
      ...(t.user !== undefined ? ['--id', t.user] : []),
      ...(t.keyring !== undefined ? ['--keyring', t.keyring] : []),
      '--client-mount-timeout', '30', ...args,
    ];
  }

  async size(): Promise<number> {
    const t = this.#target;
    const argv = this.#rbdArgv(['info', '--format', 'json', `${t.pool}/${t.image}`]);
    const result = await this.#executor.run(argv, { timeoutMs: COMMAND_TIMEOUT_MS, signal: this.#signal });
    if (result.exitCode === 2) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: `${t.pool}/${t.image}` } });
    if (result.exitCode !== 0) {
      throw new AshlarError('BACKEND_ERROR', { details: { reason: `rbd info ${t.pool}/${t.image} exited ${result.exitCode}: ${lastLine(result.stderr)}` } });
    }
    return (JSON.parse(result.stdout.toString('utf8')) as { size: number }).size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    const size = await this.size();
    if (offset >= size || length === 0) return Buffer.alloc(0);
    const end = Math.min(offset + length, size);
    const out = Buffer.alloc(end - offset);
    for (let at = offset; at < end; at += READ_CHUNK) {
      const len = Math.min(READ_CHUNK, end - at);
      const result = await this.#qemuIo([`read -v ${at} ${len}`]);
      parseQemuHexdump(result.toString('utf8'), at, len).copy(out, at - offset);
    }
    return out;
  }

  async write(offset: number, data: Buffer): Promise<void> {
    checkRange(offset, data.length);
    if (this.#target.readOnly) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'connection is read-only' } });
    if (data.length === 0) return;
    const size = await this.size();
    if (offset + data.length > size) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `write of ${data.length} bytes at ${offset} passes the end of the image (${size} bytes)` } });
    }
    const t = this.#target;
    const argv = this.#rbdArgv(['import-diff', '--no-progress', '-', `${t.pool}/${t.image}`]);
    const result = await this.#executor.run(argv, { stdin: encodeRbdDiff(offset, data), timeoutMs: COMMAND_TIMEOUT_MS, signal: this.#signal });
    if (result.exitCode !== 0) {
      throw new AshlarError('BACKEND_ERROR', { details: { reason: `rbd import-diff into ${t.pool}/${t.image} exited ${result.exitCode}: ${lastLine(result.stderr)}` } });
    }
  }

  /** Runs qemu-io read-only (no exclusive lock is taken) with the given `-c` commands. */
  async #qemuIo(commands: readonly string[]): Promise<Buffer> {
    const argv = ['qemu-io', '-f', 'raw', '-t', 'none', '-r', qemuRbdFilename(this.#target)];
    for (const c of commands) argv.push('-c', c);
    const result = await this.#executor.run(argv, { timeoutMs: COMMAND_TIMEOUT_MS, signal: this.#signal });
    const stdout = result.stdout.toString('utf8');
    // qemu-io reports a failed command on stdout ("read failed: ...") and may still exit 0.
    if (result.exitCode !== 0 || /^\w+ failed: /m.test(stdout)) {
      const why = /^\w+ failed: .*$/m.exec(stdout)?.[0] ?? lastLine(result.stderr);
      throw new AshlarError('BACKEND_ERROR', { details: { reason: `qemu-io on ${this.#target.pool}/${this.#target.image}: ${why}` } });
    }
    return result.stdout;
  }
}

/** qemu's legacy rbd filename: `rbd:pool/image:key=value...`, with `\` escaping `:` inside values. */
function qemuRbdFilename(t: RbdTarget): string {
  const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const parts = [`rbd:${t.pool}/${t.image}`, `conf=${esc(t.conf ?? '/dev/null')}`, `mon_host=${esc(t.monHost)}`];
  if (t.user !== undefined) parts.push(`id=${esc(t.user)}`);
  if (t.keyring !== undefined) parts.push(`keyring=${esc(t.keyring)}`);
  return parts.join(':');
}

function parseTarget(info: RbdConnectionInfo): RbdTarget {
  const d = info.data;
  const bad = (reason: string): AshlarError => new AshlarError('INVALID_ARGUMENT', { details: { reason: `rbd connection info: ${reason}` } });
  const [pool, image, ...extra] = String(d.name).split('/');
  if (pool === undefined || image === undefined || extra.length > 0 || !CEPH_NAME.test(pool) || !CEPH_NAME.test(image)) throw bad(`name must be pool/image, got ${JSON.stringify(d.name)}`);
  if (!Array.isArray(d.hosts) || !Array.isArray(d.ports) || d.hosts.length === 0 || d.hosts.length !== d.ports.length) throw bad('hosts and ports must be non-empty lists of equal length');
  const mons = d.hosts.map((host, i) => {
    const port = d.ports[i]!;
    if (!HOST.test(host) || !PORT.test(port)) throw bad(`invalid monitor ${JSON.stringify(host)}:${JSON.stringify(port)}`);
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  });
  const user = d.auth_enabled && typeof d.auth_username === 'string' ? d.auth_username : undefined;
  if (user !== undefined && !CEPH_NAME.test(user)) throw bad(`invalid auth_username ${JSON.stringify(user)}`);
  const path = (key: 'keyring' | 'ceph_conf'): string | undefined => {
    const v = d[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !SAFE_PATH.test(v)) throw bad(`${key} must be an absolute path without : , ; = \\ or spaces`);
    return v;
  };
  return { pool, image, monHost: mons.join(','), user, keyring: path('keyring'), conf: path('ceph_conf'), readOnly: d.access_mode === 'ro' };
}

function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `offset and length must be non-negative integers, got ${offset}, ${length}` } });
  }
}

function lastLine(buf: Buffer): string {
  return buf.toString('utf8').trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}

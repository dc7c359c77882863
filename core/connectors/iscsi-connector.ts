import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionInfo, IscsiConnectionInfo } from '../contract/types.js';
import { AshlarError } from '../errors/ashlar-error.js';
import type { Executor } from '../executor/executor.js';
import type { Connector, ConnectorContext, VolumeConnection } from './connector.js';
import { ISCSI_NAME, localInitiatorName } from './iscsi-initiator.js';
import { parseQemuHexdump } from './qemu-hexdump.js';
import { registerConnector } from './registry.js';

/** host:port, IPv4/hostname or [IPv6]. */
const PORTAL = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253}):[0-9]{1,5}$/;
/** CHAP user names reach qemu's option string: no separators. */
const CHAP_USER = /^[A-Za-z0-9._@:-]{1,255}$/;
/** Largest range one qemu-io process reads: its hex dump is about 5 bytes of text per byte. */
const READ_CHUNK = 8 * 1024 * 1024;
const COMMAND_TIMEOUT_MS = 120_000;

/** One LUN's address and credentials, checked before anything reaches a command line. */
interface IscsiTarget {
  readonly portal: string;
  readonly iqn: string;
  readonly lun: number;
  readonly chap: { readonly user: string; readonly password: string } | undefined;
  readonly readOnly: boolean;
}

/**
 * Reads and writes iSCSI LUNs with qemu's libiscsi block driver (qemu-block-extra), in
 * userspace, no kernel initiator or module: one short `qemu-io`/`qemu-img` process per call,
 * logged in under {@link localInitiatorName} (the name the caller gave the driver as
 * `connector.initiator`).
 * - reads: `qemu-io -r -c 'read -v OFF LEN'`, its hex dump parsed back into bytes;
 * - writes: `qemu-io -c 'write -s FILE OFF LEN'`, the bytes in a private temporary file;
 * - size: `qemu-img info --output=json` (`virtual-size`, READ CAPACITY).
 * CHAP passwords go to qemu as a secret object read from a mode-0600 file, never argv.
 * The connector runs on the host that attaches (the executor's transport must be local).
 * Every command runs through the driver's executor, so its allow-list applies.
 */
export class IscsiConnector implements Connector {
  readonly protocol = 'iscsi' as const;

  async connect(info: ConnectionInfo, context: ConnectorContext): Promise<VolumeConnection> {
    if (info.driver_volume_type !== 'iscsi') {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `iscsi connector cannot attach ${info.driver_volume_type}` } });
    }
    const executor = context.executor;
    if (executor === undefined) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: "the iscsi connector runs qemu-io through the driver's executor; pass it as context.executor" } });
    }
    const io = await IscsiLunIo.open(executor, parseTarget(info), context.signal);
    try {
      await io.size(); // fails now (login refused, no such LUN) rather than on first use
    } catch (err) {
      await io.close();
      throw err;
    }
    return { read: (o, l) => io.read(o, l), write: (o, d) => io.write(o, d), size: () => io.size(), close: () => io.close() };
  }
}

/** The commands behind one connection. */
class IscsiLunIo {
  readonly #executor: Executor;
  readonly #target: IscsiTarget;
  readonly #signal: AbortSignal | undefined;
  readonly #dir: string;

  private constructor(executor: Executor, target: IscsiTarget, signal: AbortSignal | undefined, dir: string) {
    this.#executor = executor;
    this.#target = target;
    this.#signal = signal;
    this.#dir = dir;
  }

  /** Opens a connection with a private (0700) directory for the CHAP secret and write buffers. */
  static async open(executor: Executor, target: IscsiTarget, signal: AbortSignal | undefined): Promise<IscsiLunIo> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-iscsi-'));
    if (target.chap !== undefined) await writeFile(path.join(dir, 'chap'), target.chap.password, { mode: 0o600 });
    return new IscsiLunIo(executor, target, signal, dir);
  }

  async close(): Promise<void> {
    await rm(this.#dir, { recursive: true, force: true });
  }

  /** qemu's `--image-opts` for this LUN (and the secret object CHAP needs). */
  #imageArgs(): string[] {
    const t = this.#target;
    const opts = [`driver=iscsi`, `transport=tcp`, `portal=${t.portal}`, `target=${t.iqn}`, `lun=${t.lun}`, `initiator-name=${localInitiatorName()}`];
    const pre: string[] = [];
    if (t.chap !== undefined) {
      pre.push('--object', `secret,id=chap0,file=${path.join(this.#dir, 'chap')}`);
      opts.push(`user=${t.chap.user}`, 'password-secret=chap0');
    }
    return [...pre, '--image-opts', opts.join(',')];
  }

  async size(): Promise<number> {
    const result = await this.#executor.run(['qemu-img', 'info', '--output=json', ...this.#imageArgs()], { timeoutMs: COMMAND_TIMEOUT_MS, signal: this.#signal });
    if (result.exitCode !== 0) throw this.#failure('qemu-img info', lastLine(result.stderr));
    return (JSON.parse(result.stdout.toString('utf8')) as { 'virtual-size': number })['virtual-size'];
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    const size = await this.size();
    if (offset >= size || length === 0) return Buffer.alloc(0);
    const end = Math.min(offset + length, size);
    const out = Buffer.alloc(end - offset);
    for (let at = offset; at < end; at += READ_CHUNK) {
      const len = Math.min(READ_CHUNK, end - at);
      const text = await this.#qemuIo(['-r'], `read -v ${at} ${len}`);
      parseQemuHexdump(text, at, len).copy(out, at - offset);
    }
    return out;
  }

  async write(offset: number, data: Buffer): Promise<void> {
    checkRange(offset, data.length);
    if (this.#target.readOnly) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'connection is read-only' } });
    if (data.length === 0) return;
    const size = await this.size();
    if (offset + data.length > size) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `write of ${data.length} bytes at ${offset} passes the end of the LUN (${size} bytes)` } });
    }
    // qemu-io's pattern file must be a file it can open (the executor's stdin is a socket).
    const file = path.join(this.#dir, 'write.bin');
    await writeFile(file, data, { mode: 0o600 });
    try {
      await this.#qemuIo([], `write -s ${file} ${offset} ${data.length}`);
    } finally {
      await rm(file, { force: true });
    }
  }

  async #qemuIo(flags: readonly string[], command: string): Promise<string> {
    const argv = ['qemu-io', ...flags, ...this.#imageArgs(), '-c', command];
    const result = await this.#executor.run(argv, { timeoutMs: COMMAND_TIMEOUT_MS, signal: this.#signal });
    const stdout = result.stdout.toString('utf8');
    // qemu-io reports a failed command on stdout ("read failed: ...") and may still exit 0.
    if (result.exitCode !== 0 || /^\w+ failed: /m.test(stdout)) throw this.#failure('qemu-io', /^\w+ failed: .*$/m.exec(stdout)?.[0] ?? lastLine(result.stderr));
    return stdout;
  }

  /** A login refused or a LUN that is not there reads as the volume being unreachable. */
  #failure(what: string, why: string): AshlarError {
    const t = this.#target;
    const where = `${t.portal} ${t.iqn} LUN ${t.lun}`;
    if (/Target not found|Failed to log in|LUN.*(not|does not) exist|Failed to connect/i.test(why)) {
      return new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `${what} on ${where}: ${why}` } });
    }
    return new AshlarError('BACKEND_ERROR', { details: { reason: `${what} on ${where}: ${why}` } });
  }
}

function parseTarget(info: IscsiConnectionInfo): IscsiTarget {
  const d = info.data;
  const bad = (reason: string): AshlarError => new AshlarError('INVALID_ARGUMENT', { details: { reason: `iscsi connection info: ${reason}` } });
  if (typeof d.target_portal !== 'string' || !PORTAL.test(d.target_portal)) throw bad(`target_portal must be host:port, got ${JSON.stringify(d.target_portal)}`);
  if (typeof d.target_iqn !== 'string' || !ISCSI_NAME.test(d.target_iqn)) throw bad(`invalid target_iqn ${JSON.stringify(d.target_iqn)}`);
  if (!Number.isInteger(d.target_lun) || d.target_lun < 0 || d.target_lun > 16383) throw bad(`invalid target_lun ${JSON.stringify(d.target_lun)}`);
  let chap: IscsiTarget['chap'];
  if (d.auth_method !== undefined && d.auth_method !== 'None') {
    if (d.auth_method !== 'CHAP') throw bad(`unsupported auth_method ${JSON.stringify(d.auth_method)}`);
    if (typeof d.auth_username !== 'string' || !CHAP_USER.test(d.auth_username) || typeof d.auth_password !== 'string') throw bad('CHAP needs auth_username and auth_password');
    chap = { user: d.auth_username, password: d.auth_password };
  }
  return { portal: d.target_portal, iqn: d.target_iqn, lun: d.target_lun, chap, readOnly: d.access_mode === 'ro' };
}

function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `offset and length must be non-negative integers, got ${offset}, ${length}` } });
  }
}

function lastLine(buf: Buffer): string {
  return buf.toString('utf8').trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}

// The registry's built-in table is outside this change; registering here (once, when the
// connectors module is loaded) makes `connect()` handle iscsi like every other protocol.
registerConnector(new IscsiConnector());
export { localInitiatorName } from './iscsi-initiator.js';

import { expect } from 'chai';
import fc from 'fast-check';
import { parseQemuHexdump } from '../../../core/connectors/qemu-hexdump.js';
import { encodeRbdDiff } from '../../../core/connectors/rbd-diff.js';
import { checkManifest, validateDriverConfig } from '../../../core/plugins/index.js';
import { cliMessage, Errno, mapFailure } from '../../../drivers/rbd/errno.js';
import { monitorAddresses, splitHostPort } from '../../../drivers/rbd/monitors.js';
import { isManageableName, manageSourceName, volumeIdOfImage, volumeImage } from '../../../drivers/rbd/names.js';
import { codeOf } from '../../helpers/error-code.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

/** Prints bytes the way qemu-io's `read -v` does (dump_buffer in qemu-io-cmds.c). */
function qemuDump(data: Buffer, offset: number): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    const hex = [...row].map((b) => `${b.toString(16).padStart(2, '0')} `).join('');
    const ascii = [...row].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '.')).join('');
    out += `${(offset + i).toString(16).padStart(8, '0')}:  ${hex} ${ascii}\n`;
  }
  return `${out}read ${data.length}/${data.length} bytes at offset ${offset}\n`;
}

describe('rbd driver pieces that need no cluster', () => {
  it('parses qemu-io hex dumps back into the exact bytes, whatever the ASCII column holds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat({ max: 2 ** 40 }), (bytes, offset) => {
        const data = Buffer.from(bytes);
        expect(parseQemuHexdump(qemuDump(data, offset), offset, data.length).equals(data)).to.equal(true);
      }),
    );
  });

  it('rejects a dump with missing bytes', async () => {
    const dump = qemuDump(Buffer.alloc(32, 0xab), 0).split('\n').slice(1).join('\n');
    expect(await codeOf(Promise.resolve().then(() => parseQemuHexdump(dump, 0, 32)))).to.equal('BACKEND_ERROR');
  });

  it('encodes a write as an rbd diff v1 stream with one record per 4 MiB', () => {
    const data = Buffer.alloc(4 * 1024 * 1024 + 10, 7);
    const diff = encodeRbdDiff(5, data);
    expect(diff.subarray(0, 12).toString()).to.equal('rbd diff v1\n');
    expect(diff[12]).to.equal('w'.charCodeAt(0));
    expect(diff.readBigUInt64LE(13)).to.equal(5n);
    expect(diff.readBigUInt64LE(21)).to.equal(BigInt(4 * 1024 * 1024));
    const second = 12 + 17 + 4 * 1024 * 1024;
    expect(diff.readBigUInt64LE(second + 1)).to.equal(BigInt(5 + 4 * 1024 * 1024));
    expect(diff.readBigUInt64LE(second + 9)).to.equal(10n);
    expect(diff.at(-1)).to.equal('e'.charCodeAt(0));
    expect(diff.length).to.equal(12 + 2 * 17 + data.length + 1);
  });

  it('maps rbd exit codes to registry codes by context, never by message', () => {
    const result = (exitCode: number, stderr = ''): { exitCode: number; stdout: Buffer; stderr: Buffer } => ({ exitCode, stdout: Buffer.alloc(0), stderr: Buffer.from(stderr) });
    const ctx = { id: 'v1', notFound: 'VOLUME_NOT_FOUND', exists: 'VOLUME_EXISTS', busy: 'VOLUME_BUSY' } as const;
    expect(mapFailure('rbd rm', result(Errno.ENOENT), ctx).code).to.equal('VOLUME_NOT_FOUND');
    expect(mapFailure('rbd create', result(Errno.EEXIST), ctx).code).to.equal('VOLUME_EXISTS');
    expect(mapFailure('rbd rm', result(Errno.ENOTEMPTY), ctx).code).to.equal('VOLUME_BUSY');
    expect(mapFailure('rbd snap rm', result(Errno.EBUSY), ctx).code).to.equal('VOLUME_BUSY');
    expect(mapFailure('rbd resize', result(Errno.EINVAL), ctx).code).to.equal('INVALID_ARGUMENT');
    expect(mapFailure('rbd create', result(Errno.ENOSPC), ctx).code).to.equal('INSUFFICIENT_CAPACITY');
    expect(mapFailure('rbd create', result(Errno.EDQUOT), ctx).code).to.equal('INSUFFICIENT_CAPACITY');
    expect(mapFailure('rbd ls', result(Errno.ETIMEDOUT), ctx).code).to.equal('BACKEND_UNAVAILABLE');
    expect(mapFailure('rbd ls', result(Errno.EACCES), ctx).code).to.equal('BACKEND_ERROR');
    expect(mapFailure('rbd ls', result(Errno.ENOENT), { id: 'x' }).code).to.equal('COMMAND_FAILED');
    expect(mapFailure('rbd ls', result(99), ctx).code).to.equal('COMMAND_FAILED');
  });

  it('shows the rbd: line of stderr, not librbd\'s log lines', () => {
    const stderr = '2026-11-22T07:59:56.438+0000 7fca8aa17380 -1 librbd::image::CreateRequest: 0x55 handle_create_id_object: error creating RBD id object: (17) File exists\nrbd: create error: (17) File exists\n';
    expect(cliMessage(Buffer.from(stderr))).to.equal('rbd: create error: (17) File exists');
  });

  it('takes monitor addresses from a mon dump, preferring msgr2', () => {
    const dump = {
      fsid: 'f',
      mons: [
        { name: 'a', public_addrs: { addrvec: [{ type: 'v1', addr: '10.0.0.1:6789' }, { type: 'v2', addr: '10.0.0.1:3300' }] } },
        { name: 'b', public_addrs: { addrvec: [{ type: 'v1', addr: '10.0.0.2:6789' }] } },
        { name: 'c', public_addr: '[::1]:6789/0' },
      ],
    };
    expect(monitorAddresses(dump)).to.deep.equal([
      { host: '10.0.0.1', port: '3300' },
      { host: '10.0.0.2', port: '6789' },
      { host: '::1', port: '6789' },
    ]);
    expect(splitHostPort('nonsense')).to.equal(undefined);
  });

  it('names images volume-<id> and refuses names that could smuggle options or paths', async () => {
    expect(volumeImage('abc-1')).to.equal('volume-abc-1');
    expect(volumeIdOfImage('volume-abc-1')).to.equal('abc-1');
    expect(volumeIdOfImage('legacy')).to.equal(undefined);
    expect(await codeOf(Promise.resolve().then(() => volumeImage('-x')))).to.equal('INVALID_ARGUMENT');
    for (const bad of ['-rf', 'a/b', 'a@s', 'a b', '']) expect(isManageableName(bad), bad).to.equal(false);
    expect(await codeOf(Promise.resolve().then(() => manageSourceName({ 'source-name': '--pool=x' })))).to.equal('INVALID_ARGUMENT');
  });

  it('loads as the built-in "rbd" with a valid manifest and documented defaults', async () => {
    const loaded = await loadDriverPlugin('rbd');
    checkManifest('rbd', loaded.manifest);
    expect(loaded.manifest.semantics).to.deep.equal({ deleteVolumeWithSnapshots: 'busy', activeActive: true });
    const config = validateDriverConfig(loaded.manifest, {});
    expect(config).to.deep.include({ pool: 'rbd', clientId: 'admin', clusterName: 'ceph', maxCloneDepth: 5, flattenOnDelete: false });
    expect(await codeOf(Promise.resolve().then(() => validateDriverConfig(loaded.manifest, { pool: 'a/b' })))).to.equal('CONFIG_INVALID');
    expect(await codeOf(Promise.resolve().then(() => validateDriverConfig(loaded.manifest, { keyring: '/a:b' })))).to.equal('CONFIG_INVALID');
    expect(await codeOf(Promise.resolve().then(() => validateDriverConfig(loaded.manifest, { pol: 'x' })))).to.equal('CONFIG_INVALID');
  });
});

import { expect } from 'chai';
import { lvmFailure } from '../../../drivers/lvm/lvm-errors.js';

const result = (exitCode: number, stderr: string) => ({ exitCode, stdout: Buffer.alloc(0), stderr: Buffer.from(stderr) });
const argv = ['lvcreate'];

// The messages and exit codes below were observed on the UML test host (lvm2 2.03.16).
describe('lvm2 failures map to registry codes by message and exit code', () => {
  it('maps an existing LV name to the exists code the caller names', () => {
    const r = result(5, '  Logical Volume "volume-a" already exists in volume group "ashlar"');
    expect(lvmFailure(r, { argv, id: 'a', exists: 'VOLUME_EXISTS' }).code).to.equal('VOLUME_EXISTS');
    expect(lvmFailure(r, { argv, id: 'a', exists: 'SNAPSHOT_EXISTS' }).code).to.equal('SNAPSHOT_EXISTS');
  });

  it('maps missing LVs and missing snapshot origins to the not-found code the caller names', () => {
    expect(lvmFailure(result(5, '  Failed to find logical volume "ashlar/nope"'), { argv, id: 'nope', missing: 'SNAPSHOT_NOT_FOUND' }).code).to.equal('SNAPSHOT_NOT_FOUND');
    expect(lvmFailure(result(5, '  Snapshot origin LV nope not found in Volume group ashlar.'), { argv, id: 'nope', missing: 'VOLUME_NOT_FOUND' }).code).to.equal('VOLUME_NOT_FOUND');
  });

  it('maps a full volume group to INSUFFICIENT_CAPACITY', () => {
    const r = result(5, '  Volume group "ashlar" has insufficient free space (893 extents): 25600 required.');
    expect(lvmFailure(r, { argv, id: 'a' }).code).to.equal('INSUFFICIENT_CAPACITY');
    expect(lvmFailure(result(5, '  Insufficient free space: 256 extents needed, but only 0 available'), { argv, id: 'a' }).code).to.equal('INSUFFICIENT_CAPACITY');
  });

  it('maps a shrink to INVALID_ARGUMENT and an active snapshot origin resize to VOLUME_BUSY', () => {
    expect(lvmFailure(result(5, '  New size given (128 extents) not larger than existing size (256 extents)'), { argv, id: 'a' }).code).to.equal('INVALID_ARGUMENT');
    expect(lvmFailure(result(5, '  Snapshot origin volumes can be resized only while inactive: try lvreduce instead.'), { argv, id: 'a' }).code).to.equal('VOLUME_BUSY');
  });

  it('maps an open LV to the busy code the caller names', () => {
    const r = result(5, '  Logical volume ashlar/_snapshot-s in use.');
    expect(lvmFailure(r, { argv, id: 's', busy: 'SNAPSHOT_BUSY' }).code).to.equal('SNAPSHOT_BUSY');
  });

  it('maps a vanished volume group or thin pool to BACKEND_UNAVAILABLE before any not-found code', () => {
    expect(lvmFailure(result(5, '  Volume group "nope" not found\n  Cannot process volume group nope'), { argv, id: 'a', missing: 'VOLUME_NOT_FOUND' }).code).to.equal('BACKEND_UNAVAILABLE');
    expect(lvmFailure(result(5, '  Pool nopool not found in Volume group ashlar.'), { argv, id: 'a', missing: 'VOLUME_NOT_FOUND' }).code).to.equal('BACKEND_UNAVAILABLE');
  });

  it('maps exit code 3 (invalid command line, e.g. a reserved name) to INVALID_ARGUMENT and 127 to MISSING_DEPENDENCY', () => {
    expect(lvmFailure(result(3, '  Names including "_tdata" are reserved.'), { argv, id: 'a' }).code).to.equal('INVALID_ARGUMENT');
    expect(lvmFailure(result(127, 'lvcreate: not found'), { argv, id: 'a' }).code).to.equal('MISSING_DEPENDENCY');
  });

  it('leaves anything else as COMMAND_FAILED with the stderr, warnings dropped', () => {
    const err = lvmFailure(result(5, '  WARNING: something\n  Something unexpected.'), { argv, id: 'a' });
    expect(err.code).to.equal('COMMAND_FAILED');
    expect(String(err.details.stderr)).to.equal('Something unexpected.');
  });
});

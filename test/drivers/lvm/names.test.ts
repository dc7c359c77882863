import { expect } from 'chai';
import fc from 'fast-check';
import { isValidResourceId } from '../../../core/contract/names.js';
import { hasErrorCode } from '../../../core/errors/index.js';
import { lvNameProblem, snapshotLvName, volumeLvName } from '../../../drivers/lvm/names.js';

describe('lvm LV names', () => {
  it('names volumes volume-<id> and snapshots _snapshot-<id>', () => {
    expect(volumeLvName('0b5e-77')).to.equal('volume-0b5e-77');
    expect(snapshotLvName('s.1')).to.equal('_snapshot-s.1');
  });

  it('rejects ids that are not resource ids or give names lvm2 reserves, before any command', () => {
    for (const bad of ['../x', '-x', 'a b', 'x;rm', 'x_tdata', 'y_rimage_0', 'a'.repeat(65), '']) {
      expect(() => volumeLvName(bad), bad).to.throw().that.satisfies((e: unknown) => hasErrorCode(e, 'INVALID_ARGUMENT'));
    }
  });

  it('accepts exactly the resource ids whose LV name lvm2 accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/), (id) => {
        expect(isValidResourceId(id)).to.equal(true);
        const ok = lvNameProblem(`volume-${id}`) === undefined;
        if (ok) expect(volumeLvName(id)).to.equal(`volume-${id}`);
        else expect(() => volumeLvName(id)).to.throw();
      }),
    );
  });

  it('knows lvm2 rules: no leading "-", no "snapshot"/"pvmove" prefix, no "." or ".."', () => {
    for (const bad of ['-a', 'snapshot1', 'pvmove0', '.', '..', 'a/b', 'a_mlog']) expect(lvNameProblem(bad), bad).to.be.a('string');
    for (const good of ['a', '_snapshot-x', 'a+b.c_d-e']) expect(lvNameProblem(good), good).to.equal(undefined);
  });
});

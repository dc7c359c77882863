import { expect } from 'chai';
import { CHECK_RULES } from '../../conformance/coverage/check-rules.js';
import { contractAnchors } from '../../conformance/coverage/contract-anchors.js';
import { RULE_ANCHORS, uncheckedReason } from '../../conformance/coverage/rule-anchors.js';
import { RULES, type Rule } from '../../conformance/rules.js';
import { citedRule, ConformanceViolation } from '../../conformance/violation.js';

const rules = Object.keys(RULES) as Rule[];

describe('conformance rule coverage (issue #12)', () => {
  const anchors = contractAnchors();

  it('reads the rules the contract states from its TSDoc and schemas', () => {
    const names = anchors.map((a) => a.anchor);
    expect(names).to.include.members(['VolumeDriver.createVolume', 'VolumeDriver.createVolume@idempotency', 'VolumeDriver.createVolume@throws VOLUME_EXISTS', 'RevertCapable.revertToSnapshot@throws INVALID_ARGUMENT', 'semantics.deleteVolumeWithSnapshots=busy', 'CallArgs.signal']);
    expect(names.length).to.be.greaterThan(80);
  });

  it('gives every contract rule a rule key, or a stated reason why no check can hold a driver to it', () => {
    const named = new Set(Object.values(RULE_ANCHORS).flat());
    const orphans = anchors.filter((a) => !named.has(a.anchor) && uncheckedReason(a.anchor) === undefined).map((a) => `${a.anchor} (${a.text})`);
    expect(orphans, `contract rules without a rule key in conformance/coverage/rule-anchors.ts:\n${orphans.join('\n')}`).to.deep.equal([]);
  });

  it('names only contract statements that exist', () => {
    const known = new Set(anchors.map((a) => a.anchor));
    const stale = Object.entries(RULE_ANCHORS).flatMap(([rule, list]) => list.filter((a) => !known.has(a)).map((a) => `${rule}: ${a}`));
    expect(stale).to.deep.equal([]);
  });

  it('holds a driver to every rule in at least one check', () => {
    const checked = new Set(Object.values(CHECK_RULES).flat());
    expect(rules.filter((r) => !checked.has(r)), 'rules no check in conformance/coverage/check-rules.ts can fail').to.deep.equal([]);
  });

  it('recovers the rule key from the rule a violation message cites', () => {
    expect(citedRule(`createVolume(x) again: expected VOLUME_EXISTS, but it succeeded [${RULES.createExists}]`)).to.equal('createExists');
    expect(citedRule(`a [${RULES.restart}] then [${RULES.createExists}]`)).to.equal('restart');
    expect(citedRule('no rule here')).to.equal(undefined);
    expect(new ConformanceViolation(`x [${RULES.revert}]`).rule).to.equal('revert');
    expect(new ConformanceViolation('x', undefined, 'names').rule).to.equal('names');
  });
});

import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { brokenFixtures } from '../fixtures/broken-drivers/catalog.js';
import { README_PATH, renderReadme } from '../fixtures/broken-drivers/readme.js';

describe('broken-driver fixtures README (issue #11)', () => {
  it('is what the fixtures\' expectations generate (npx tsx test/fixtures/broken-drivers/readme.ts --write)', async () => {
    const fixtures = await brokenFixtures();
    expect(fixtures.length).to.be.greaterThan(60);
    expect(readFileSync(README_PATH, 'utf8')).to.equal(renderReadme(fixtures));
  });
});

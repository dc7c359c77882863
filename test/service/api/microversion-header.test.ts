import { expect } from 'chai';
import { negotiateVersion } from '../../../service/api/microversion.js';
import { startTestService, type TestService } from '../helpers.js';

const asked = (value: string) => negotiateVersion({ 'openstack-api-version': value });
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

// Issue 15, item 9: the header parser follows Cinder's (microversion_parse + the
// APIVersionRequest pattern ^([1-9]\d*)\.([1-9]\d*|0)$); malformed forms answer 400.
describe('OpenStack-API-Version parsing (issue 15)', () => {
  it('reads the last volume entry and ignores other services', () => {
    expect(asked('volume 3.5').text).to.equal('3.5');
    expect(asked('compute 2.1, volume 3.27').text).to.equal('3.27');
    expect(asked('volume 3.10,volume 3.12').text).to.equal('3.12');
    expect(asked('VOLUME   3.5  ').text).to.equal('3.5');
    expect(asked('volume latest').text).to.equal('3.70');
    expect(asked('compute 2.1').text).to.equal('3.0');
    expect(negotiateVersion({ 'openstack-api-version': ['compute 2.1', 'volume 3.8'] }).text).to.equal('3.8');
    expect(negotiateVersion({}).text).to.equal('3.0');
    expect(negotiateVersion({ 'x-openstack-volume-api-version': '3.12' }).text).to.equal('3.12');
  });

  it('answers 400 for every malformed form', () => {
    for (const bad of ['3.5', 'volume', 'volume 3', 'volume 3.', 'volume .5', 'volume 3.05', 'volume 03.5', 'volume 3.5.1', 'volume 3.x', 'volume +3.5', 'volume 3.5 extra', 'volume LATEST', 'volume -3.5', 'volume 3.5e0', 'volume 0x3.5']) {
      expect(code(() => asked(bad)), bad).to.equal('BAD_REQUEST');
    }
    expect(code(() => negotiateVersion({ 'x-openstack-volume-api-version': '3.05' }))).to.equal('BAD_REQUEST');
  });

  it('answers 406 outside the served range', () => {
    expect(code(() => asked('volume 2.0'))).to.equal('VERSION_NOT_ACCEPTABLE');
    expect(code(() => asked('volume 3.71'))).to.equal('VERSION_NOT_ACCEPTABLE');
    expect(code(() => asked('volume 99999999999999999999.0'))).to.equal('VERSION_NOT_ACCEPTABLE');
  });

  describe('over HTTP', () => {
    let t: TestService;
    before(async () => {
      t = await startTestService();
    });
    after(async () => t.stop());

    it('answers a header without the service type with a 400 fault that escapes what it echoes', async () => {
      const r = await fetch(`${t.url}/v3/volumes`, { headers: { 'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': '3.5' } });
      expect(r.status).to.equal(400);
      const body = (await r.json()) as { badRequest: { code: number; message: string } };
      expect(body.badRequest.code).to.equal(400);
      expect(body.badRequest.message).to.include('"3.5"');
      expect(r.headers.get('vary')).to.equal('OpenStack-API-Version');
    });
  });
});

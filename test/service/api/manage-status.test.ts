import { expect } from 'chai';
import { echoed } from '../../../service/api/fault-text.js';
import { startTestService, type TestService } from '../helpers.js';

// Issue 15, item 2: os-volume-manage with an unknown host or for a disabled service, and
// GET manageable_volumes for a disabled service, answered 503 (logged as an internal
// error) and echoed control characters from the request.
describe('manage: errors the request causes are 4xx (issue 15)', () => {
  let t: TestService;
  before(async () => {
    t = await startTestService('[DEFAULT]\nenabled_backends = f\n[f]\nvolume_driver = file\ndirectory = {state}/f\n');
  });
  after(async () => t.stop());

  const manage = (host: string) => t.call('POST', '/v3/os-volume-manage', { body: { volume: { host, ref: { 'source-name': 'x' } } } });

  it('answers 400 for a host with no volume service, escaping what it echoes', async () => {
    const r = await manage('nowhere\u0001<b>@f#f');
    expect(r.status).to.equal(400);
    expect(r.body.badRequest.message).to.include('nowhere\\u0001&lt;b&gt;@f#f');
    expect(r.body.badRequest.message).to.not.match(/[\u0000-\u001f<]/);
  });

  it('answers 400 for a disabled volume service, for manage and for the manageable list', async () => {
    const host = (await t.call('GET', '/v3/os-services?binary=cinder-volume')).body.services[0].host as string;
    expect((await t.call('PUT', '/v3/os-services/disable', { body: { host, binary: 'cinder-volume' } })).status).to.equal(200);
    try {
      const m = await manage(`${host}#f`);
      expect(m.status).to.equal(400);
      expect(m.body.badRequest.message).to.include('disabled');
      const list = await t.call('GET', `/v3/manageable_volumes?host=${encodeURIComponent(host)}`);
      expect(list.status).to.equal(400);
    } finally {
      await t.call('PUT', '/v3/os-services/enable', { body: { host, binary: 'cinder-volume' } });
    }
  });

  it('writes control characters as \\uXXXX when echoing request text', () => {
    expect(echoed('a\nb\u007f\u0085c')).to.equal('a\\u000ab\\u007f\\u0085c');
  });
});

import { expect } from 'chai';
import { connect, localInitiatorName } from '../../../core/connectors/index.js';
import type { ConnectionInfo } from '../../../core/contract/index.js';
import { createExecutor } from '../../../core/executor/index.js';
import { codeOf } from '../../helpers/error-code.js';

const executor = createExecutor({ owner: 'test', allow: ['qemu-io', 'qemu-img'] });
const info = (data: Record<string, unknown>): ConnectionInfo =>
  ({ driver_volume_type: 'iscsi', data: { target_portal: '127.0.0.1:1', target_iqn: 'iqn.1992-08.com.netapp:sn.x:vs.1', target_lun: 1, ...data } }) as ConnectionInfo;

describe('iscsi connector', () => {
  it('is registered for driver_volume_type iscsi and refuses malformed connection info before running anything', async () => {
    expect(await codeOf(connect(info({ target_portal: '127.0.0.1:1,file=/etc/passwd' }), { executor }))).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(connect(info({ target_iqn: 'iqn.x,driver=file' }), { executor }))).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(connect(info({ target_lun: -1 }), { executor }))).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(connect(info({ auth_method: 'CHAP', auth_username: 'u,x=y', auth_password: 'p' }), { executor }))).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(connect(info({}), {}))).to.equal('INVALID_ARGUMENT');
  });

  it('reports a portal nobody listens on as BACKEND_UNAVAILABLE', async function () {
    this.timeout(30_000);
    const code = await codeOf(connect(info({}), { executor }));
    expect(code).to.equal('BACKEND_UNAVAILABLE');
  });

  it('derives a valid initiator name for this host', () => {
    expect(localInitiatorName()).to.match(/^(iqn\.\d{4}-\d{2}\.[a-z0-9][a-z0-9.-]*(:[A-Za-z0-9.:_-]+)?|eui\.[0-9A-Fa-f]{16})$/);
  });
});

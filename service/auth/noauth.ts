import { AshlarError } from '../../core/errors/ashlar-error.js';
import { header, type AuthHeaders, type Authenticator, type Identity } from './authenticator.js';

/**
 * For local use only: trusts `X-Auth-Token: <user>:<project>` (what cinderclient's noauth
 * plugin and `openstack --os-auth-type admin_token` send). A token without `:` names a
 * user whose project has the same name.
 */
export class NoAuthAuthenticator implements Authenticator {
  readonly strategy = 'noauth';

  async authenticate(headers: AuthHeaders): Promise<Identity> {
    const token = header(headers, 'x-auth-token');
    if (!token) throw new AshlarError('UNAUTHORIZED');
    const i = token.indexOf(':');
    const userId = i < 0 ? token : token.slice(0, i);
    const projectId = i < 0 ? token : token.slice(i + 1);
    if (!userId || !projectId) throw new AshlarError('UNAUTHORIZED');
    return { userId, projectId };
  }
}

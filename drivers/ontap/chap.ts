import { createHmac } from 'node:crypto';
import { isMissing, isOntap, ONTAP } from './errors.js';
import type { SvmView } from './svm-view.js';

/** Inbound CHAP credentials one initiator logs in with. */
export interface ChapCredentials {
  readonly user: string;
  readonly password: string;
}

/** Cinder's CHAP secrets are 16 characters: the longest every initiator accepts (RFC 3720 hosts often cap at 16 bytes). */
const CHAP_PASSWORD_LENGTH = 16;

/**
 * The CHAP credentials of an initiator: user = the initiator name (as Cinder's ONTAP driver
 * does), password derived from the configured `chapSecret`. Derived, not random: ONTAP never
 * returns a password, and a fresh random one at every attach would lock out the host's other
 * attachments at their next login; derived, every instance of an active-active deployment
 * (same config) sets the same password for the same host.
 */
export function chapCredentials(chapSecret: string, initiator: string): ChapCredentials {
  const digest = createHmac('sha256', chapSecret).update(`ashlar-chap\n${initiator}`).digest('base64url');
  return { user: initiator, password: digest.slice(0, CHAP_PASSWORD_LENGTH) };
}

/**
 * Makes the SVM require inbound CHAP from `initiator` with `chap`
 * (`/api/protocols/san/iscsi/credentials`): PATCH when the initiator has credentials, else
 * POST; a POST that loses a race with another instance's POST is retried as a PATCH. The
 * PATCH is repeated at every attach because the password cannot be read back to compare.
 */
export async function ensureChap(view: SvmView, svmUuid: string, initiator: string, chap: ChapCredentials, signal: AbortSignal): Promise<void> {
  const auth = { authentication_type: 'chap', chap: { inbound: { user: chap.user, password: chap.password } } };
  const patch = (): Promise<unknown> => view.client.send('PATCH', `/api/protocols/san/iscsi/credentials/${svmUuid}/${encodeURIComponent(initiator)}`, {}, auth, signal);
  try {
    await patch();
    return;
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  try {
    await view.client.send('POST', '/api/protocols/san/iscsi/credentials', {}, { svm: { uuid: svmUuid }, initiator, ...auth }, signal);
  } catch (err) {
    if (!isOntap(err, ONTAP.credentialsExist)) throw err;
    await patch();
  }
}

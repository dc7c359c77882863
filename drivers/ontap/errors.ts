import { AshlarError } from '../../core/errors/ashlar-error.js';
import { OntapRestError } from './rest-client.js';

/** ONTAP error codes the driver branches on (as the cluster sends them, strings). */
export const ONTAP = {
  entryNotFound: '4',
  notAuthorized: '6',
  volumeNotFound: '917927',
  noSpace: '917534',
  lunNotFound: '5374878',
  duplicateLun: '5374863',
  lunMapExists: '5374914',
  noSuchLunMap: '5374922',
  igroupExists: '5374734',
  credentialsExist: '5374801',
  snapshotNotFound: '1638600',
  duplicateSnapshot: '1638518',
} as const;

/** Whether `err` is the cluster answering with one of `codes`. */
export function isOntap(err: unknown, ...codes: string[]): err is OntapRestError {
  return err instanceof OntapRestError && codes.includes(err.code);
}

/** Whether `err` says the addressed object does not exist. */
export function isMissing(err: unknown): err is OntapRestError {
  return err instanceof OntapRestError && (err.status === 404 || [ONTAP.entryNotFound, ONTAP.lunNotFound, ONTAP.volumeNotFound, ONTAP.snapshotNotFound, ONTAP.noSuchLunMap].includes(err.code as never));
}

/**
 * Turns a cluster error into a registry code; errors already coded pass through.
 * `notFound` is what a missing object means for this call.
 */
export function mapOntapError(err: unknown, what: string, notFound?: () => AshlarError): AshlarError {
  if (err instanceof AshlarError) return err;
  if (!(err instanceof OntapRestError)) return new AshlarError('BACKEND_ERROR', { details: { reason: `${what}: ${String(err)}` }, cause: err });
  if (notFound !== undefined && isMissing(err)) return notFound();
  const reason = `${what}: ONTAP error ${err.code}: ${err.message}`;
  if (err.code === ONTAP.noSpace) return new AshlarError('INSUFFICIENT_CAPACITY', { details: { reason }, cause: err });
  if (err.status === 401) return new AshlarError('CONFIG_INVALID', { details: { reason: `${reason} (check username and password)` }, cause: err });
  if (err.status === 403) return new AshlarError('BACKEND_ERROR', { details: { reason: `${reason} (the account's role lacks a privilege the manifest lists)` }, cause: err });
  return new AshlarError('BACKEND_ERROR', { details: { reason }, cause: err });
}

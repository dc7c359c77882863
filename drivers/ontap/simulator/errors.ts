/**
 * ONTAP-style API errors: `{"error": {"message", "code", "target"}}` with ONTAP's numeric
 * codes (as strings), and the HTTP status ONTAP answers with.
 */
export class OntapApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;

  constructor(status: number, code: string, message: string, target?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = target;
  }

  /** The response body. */
  toBody(): { error: { message: string; code: string; target?: string } } {
    return { error: { message: this.message, code: this.code, ...(this.target !== undefined ? { target: this.target } : {}) } };
  }
}

/**
 * Codes this simulator answers with. Those ONTAP documents for the same condition are
 * used where known (4 entry doesn't exist, 6 not authorized, 262179 unexpected argument,
 * 262196 field cannot be set, 5374922 no such LUN map, 917927 volume not found);
 * the rest are stable numbers in ONTAP's style, listed here so clients match on them.
 */
export const CODES = {
  entryNotFound: '4',
  notAuthorized: '6',
  unexpectedArgument: '262179',
  invalidField: '262196',
  missingField: '262197',
  duplicateEntry: '1',
  volumeNotFound: '917927',
  duplicateVolume: '917536',
  volumeBusy: '917700',
  noSpace: '917534',
  lunNotFound: '5374878',
  duplicateLun: '5374863',
  lunShrink: '5374876',
  lunMapped: '5374875',
  lunMapExists: '5374914',
  noSuchLunMap: '5374922',
  igroupExists: '5374734',
  igroupInUse: '5374736',
  credentialsExist: '5374801',
  snapshotNotFound: '1638600',
  duplicateSnapshot: '1638518',
  dpVolumeReadOnly: '917603',
  relationshipExists: '6619637',
  relationshipNotFound: '13303812',
  transferInProgress: '13303810',
  peerUnreachable: '13303842',
  jobFailed: '460770',
  unavailable: '2',
} as const;

/** 404 entry doesn't exist. */
export function notFound(what: string, target?: string): OntapApiError {
  return new OntapApiError(404, CODES.entryNotFound, `entry doesn't exist: ${what}`, target);
}

/** 400 with a code. */
export function badRequest(code: string, message: string, target?: string): OntapApiError {
  return new OntapApiError(400, code, message, target);
}

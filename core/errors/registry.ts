/**
 * The one registry of error codes. A code is stable forever and never reused; the service
 * maps it to an HTTP status, the docs and the OpenAPI document list it, and tests fail when
 * they disagree. Code matches code, never message text.
 *
 * @since 0.1.0
 */

/** What the registry says about one code. */
export interface ErrorDefinition {
  /** HTTP status the reference service answers with. */
  readonly status: number;
  /** Message template; `{name}` is replaced from the error's details. */
  readonly message: string;
  /** When a driver or the core raises it, for the docs. */
  readonly description: string;
  /** The Cinder fault name the service uses in its body (`badRequest`, `itemNotFound`, ...). */
  readonly fault: CinderFault;
}

/** Fault body keys Cinder uses, chosen from the HTTP status. */
export type CinderFault =
  | 'badRequest'
  | 'forbidden'
  | 'itemNotFound'
  | 'conflict'
  | 'overLimit'
  | 'notImplemented'
  | 'serviceUnavailable'
  | 'computeFault'
  | 'notAcceptable'
  | 'gone'
  | 'unauthorized'
  | 'requestEntityTooLarge';

const define = <T extends Record<string, ErrorDefinition>>(table: T): { readonly [K in keyof T]: ErrorDefinition } => table;

/** Every error code Ashlar can raise. */
export const ERROR_REGISTRY = define({
  INVALID_ARGUMENT: {
    status: 400, fault: 'badRequest',
    message: 'Invalid argument: {reason}',
    description: 'An argument is malformed or out of range: a bad name, a size that is not a positive integer, a shrink.',
  },
  VOLUME_NOT_FOUND: {
    status: 404, fault: 'itemNotFound',
    message: 'Volume {id} could not be found.',
    description: 'The volume does not exist on the backend.',
  },
  SNAPSHOT_NOT_FOUND: {
    status: 404, fault: 'itemNotFound',
    message: 'Snapshot {id} could not be found.',
    description: 'The snapshot does not exist on the backend.',
  },
  GROUP_NOT_FOUND: {
    status: 404, fault: 'itemNotFound',
    message: 'Group {id} could not be found.',
    description: 'The group or group snapshot does not exist on the backend.',
  },
  MANAGE_TARGET_NOT_FOUND: {
    status: 404, fault: 'itemNotFound',
    message: 'Nothing to manage at {reference}.',
    description: 'manage existing: the referenced backend object does not exist or is already managed.',
  },
  VOLUME_EXISTS: {
    status: 409, fault: 'conflict',
    message: 'Volume {id} already exists.',
    description: 'create: a volume with that id already exists on the backend.',
  },
  SNAPSHOT_EXISTS: {
    status: 409, fault: 'conflict',
    message: 'Snapshot {id} already exists.',
    description: 'create snapshot: a snapshot with that id already exists on the backend.',
  },
  VOLUME_BUSY: {
    status: 409, fault: 'conflict',
    message: 'Volume {id} is busy: {reason}',
    description: 'The volume cannot be changed now: it has dependent snapshots or clones, or is in use.',
  },
  SNAPSHOT_BUSY: {
    status: 409, fault: 'conflict',
    message: 'Snapshot {id} is busy: {reason}',
    description: 'The snapshot cannot be deleted now: volumes depend on it.',
  },
  INSUFFICIENT_CAPACITY: {
    status: 413, fault: 'overLimit',
    message: 'Insufficient capacity: {reason}',
    description: 'The backend has no room for the requested size.',
  },
  NOT_SUPPORTED: {
    status: 501, fault: 'notImplemented',
    message: 'Operation {operation} is not supported by driver {driver}.',
    description: 'The driver did not declare the capability the operation needs.',
  },
  BACKEND_UNAVAILABLE: {
    status: 503, fault: 'serviceUnavailable',
    message: 'Backend unavailable: {reason}',
    description: 'The backend cannot be reached or is not ready.',
  },
  BACKEND_ERROR: {
    status: 500, fault: 'computeFault',
    message: 'Backend error: {reason}',
    description: 'The backend failed in a way no more specific code describes.',
  },
  TIMEOUT: {
    status: 504, fault: 'computeFault',
    message: 'Operation {operation} timed out after {ms} ms.',
    description: 'A driver call or backend command ran past its time limit and was aborted.',
  },
  ABORTED: {
    status: 500, fault: 'computeFault',
    message: 'Operation {operation} was aborted.',
    description: 'The caller aborted the operation through its AbortSignal.',
  },
  DRIVER_CONTRACT_VIOLATION: {
    status: 500, fault: 'computeFault',
    message: 'Driver {driver} broke the contract in {operation}: {reason}',
    description: 'A driver returned a result that does not match the contract schema or threw something other than a coded error.',
  },
  COMMAND_NOT_ALLOWED: {
    status: 500, fault: 'computeFault',
    message: 'Command {command} is not on the allow-list of {driver}.',
    description: 'The executor refused a program the driver did not declare in its manifest.',
  },
  COMMAND_FAILED: {
    status: 500, fault: 'computeFault',
    message: 'Command {command} failed with exit code {exitCode}: {stderr}',
    description: 'A backend command exited non-zero and the driver did not map it to a more specific code.',
  },
  PLUGIN_NOT_FOUND: {
    status: 500, fault: 'computeFault',
    message: 'Driver plugin {spec} could not be found.',
    description: 'No built-in, file or package by that name.',
  },
  PLUGIN_INVALID: {
    status: 500, fault: 'computeFault',
    message: 'Driver plugin {spec} is invalid: {reason}',
    description: 'The plugin module does not export a valid manifest and factory, or its implementation does not match its declared capabilities.',
  },
  PLUGIN_CONTRACT_MISMATCH: {
    status: 500, fault: 'computeFault',
    message: 'Driver plugin {spec} supports contract {range}, this core implements {contract}.',
    description: 'The plugin was written for another major version of the driver contract.',
  },
  MISSING_DEPENDENCY: {
    status: 500, fault: 'computeFault',
    message: 'Driver {driver} needs {kind} "{name}", which is not installed. Install it with: {install}',
    description: 'An optional dependency a plugin declares is missing.',
  },
  CONFIG_INVALID: {
    status: 500, fault: 'computeFault',
    message: 'Invalid configuration: {reason}',
    description: 'A configuration value fails its schema; the message names the section and key.',
  },
  // Service-level codes (the reference service raises these, drivers never do).
  BAD_REQUEST: {
    status: 400, fault: 'badRequest',
    message: '{reason}',
    description: 'The request body or query fails validation.',
  },
  CONFLICT: {
    status: 409, fault: 'conflict',
    message: '{reason}',
    description: 'The request clashes with an existing resource: a QoS specs or group type name that is taken.',
  },
  UNAUTHORIZED: {
    status: 401, fault: 'unauthorized',
    message: 'Authentication required.',
    description: 'No valid credentials were presented.',
  },
  LOGIN_THROTTLED: {
    status: 429, fault: 'overLimit',
    message: 'Too many failed logins for this user from this address; retry in {retryAfter} seconds.',
    description: 'http_basic: failed logins of a user from one client address (or of any users from one address) are delayed, doubling with each failure; the answer carries Retry-After.',
  },
  FORBIDDEN: {
    status: 403, fault: 'forbidden',
    message: 'Policy does not allow {action} to be performed.',
    description: 'The caller is authenticated but policy forbids the action.',
  },
  NOT_FOUND: {
    status: 404, fault: 'itemNotFound',
    message: '{resource} {id} could not be found.',
    description: 'An API resource does not exist or is not visible to the caller.',
  },
  INVALID_STATE: {
    status: 400, fault: 'badRequest',
    message: 'Invalid {resource}: {reason}',
    description: 'The resource is not in a state that allows the action (Cinder answers 400 for these).',
  },
  QUOTA_EXCEEDED: {
    status: 413, fault: 'overLimit',
    message: 'Quota exceeded for {resource}: requested {requested}, in use {inUse}, limit {limit}.',
    description: 'The project would go over its quota.',
  },
  VERSION_NOT_ACCEPTABLE: {
    status: 406, fault: 'notAcceptable',
    message: 'Version {version} is not supported by the API. Minimum is {min} and maximum is {max}.',
    description: 'The requested microversion is outside the supported range.',
  },
  GONE: {
    status: 410, fault: 'gone',
    message: '{resource} was removed in microversion {removedIn}.',
    description: 'The API was removed; it is documented so that old clients get a clear answer.',
  },
  ILLEGAL_TRANSITION: {
    status: 500, fault: 'computeFault',
    message: 'Illegal {resource} status transition {from} -> {to} ({action})',
    description: "The service tried a status change its resource's state machine does not allow: a defect in the service, never a client error.",
  },
  RESPONSE_INVALID: {
    status: 500, fault: 'computeFault',
    message: 'Response of {operation} does not match its schema: {reason}',
    description: 'The service built a response its own schema refuses (raised only with response_validation = error).',
  },
  NO_VALID_BACKEND: {
    status: 500, fault: 'computeFault',
    message: 'No valid backend was found: {reason}',
    description: 'The scheduler found no backend that passes the filters.',
  },
});

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_REGISTRY;

/** All codes, in registry order. */
export const ERROR_CODES = Object.keys(ERROR_REGISTRY) as ErrorCode[];

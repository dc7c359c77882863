import type { RequestContext } from '../auth/context.js';
import type { ApiVersion } from './microversion.js';

/** What a route handler receives: the caller, the negotiated version and the parsed input. */
export interface ApiRequest<B = unknown> {
  readonly ctx: RequestContext;
  readonly version: ApiVersion;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Already validated against the route's body schema for this version. */
  readonly body: B;
  /** `http://host:port` as the client reached us, for links. */
  readonly baseUrl: string;
  /** The project id in the URL, when the route was reached through `/v3/{project_id}/...`. */
  readonly urlProjectId: string | undefined;
}

/** What a route handler answers: a status and an optional JSON body. */
export interface ApiReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route handler. */
export type RouteHandler<B = unknown> = (req: ApiRequest<B>) => Promise<ApiReply>;

/**
 * What every served route says about itself, attached to the fastify route as
 * `config.doc`: the service compiles its body, query-string and path-parameter schemas
 * into the route, and the OpenAPI builder (handed the routes by cli/) documents the same
 * data, so the document can never say what the service does not enforce.
 */

/** A microversion like `"3.27"`. */
export type Microversion = `${number}.${number}`;

/** A JSON Schema object (2020-12), usually `$ref`s into core/schemas. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A body that exists for a range of microversions. */
export interface VersionedSchema {
  /** First microversion with this shape. @defaultValue "3.0" */
  readonly min?: Microversion;
  /** Last microversion with this shape; absent means the current maximum. */
  readonly max?: Microversion;
  readonly schema: JsonSchema;
}

/** One action of a resource's `POST .../action` route. */
export interface ActionDoc {
  /** The body's single key, e.g. `os-extend`, `revert`. */
  readonly name: string;
  readonly summary: string;
  readonly min?: Microversion;
  readonly max?: Microversion;
  /** Schema of the value under the action key. */
  readonly schema: JsonSchema;
  /** Status of a successful answer, e.g. 202. */
  readonly status: number;
  /** Response body schema, when the action answers with one. */
  readonly response?: JsonSchema;
  readonly adminOnly?: boolean;
}

/** Documentation and validation data of one route. */
export interface RouteDoc {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Grouping in the document, e.g. `volumes`. */
  readonly tags: readonly string[];
  /** The route exists from this microversion. @defaultValue "3.0" */
  readonly min?: Microversion;
  /** The route exists up to this microversion. */
  readonly max?: Microversion;
  /** The route was removed: it answers 410 Gone and is documented as such. */
  readonly removedIn?: Microversion;
  /** Experimental: served only when the operator opts in, and marked in the document. */
  readonly experimental?: boolean;
  readonly adminOnly?: boolean;
  /** Request body variants by microversion. */
  readonly body?: readonly VersionedSchema[];
  /** For `POST .../action` routes: the actions, each a oneOf member of the body. */
  readonly actions?: readonly ActionDoc[];
  readonly query?: JsonSchema;
  /**
   * Path parameters: an object schema whose properties name the route's `:params`.
   * Parameters it does not describe are documented as plain strings.
   */
  readonly params?: JsonSchema;
  /** Success responses: status → variants by microversion. */
  readonly responses: Readonly<Record<number, readonly VersionedSchema[]>>;
  /** Error codes from the registry this route may answer with. */
  readonly errors?: readonly string[];
}

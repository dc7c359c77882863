/** Who is calling, as established by the auth strategy. */
export interface RequestContext {
  readonly userId: string;
  readonly projectId: string;
  /** Administrator: may see every project and run admin-only actions. */
  readonly isAdmin: boolean;
  /** `req-<uuid>`, echoed as `x-openstack-request-id` and recorded on messages. */
  readonly requestId: string;
}

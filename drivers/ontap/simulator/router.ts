import type { Cluster } from './cluster.js';
import type { SimJob, SimUser } from './model.js';
import type { Rec } from './records.js';

/** What a handler gets. */
export interface RequestContext {
  readonly cluster: Cluster;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The body with dotted keys expanded. */
  readonly body: Rec;
  readonly user: SimUser;
  /** The SVM an SVM-scoped account is limited to. */
  readonly scope: string | undefined;
  /** The request path without query. */
  readonly path: string;
}

/** A handler's answer: a body now, or a job whose completion decides the answer. */
export type Reply =
  | { readonly status: number; readonly body: Rec }
  | { readonly job: SimJob; readonly status: number; readonly body?: () => Rec };

/** One route: method and a path template with `{name}` segments. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly handler: (ctx: RequestContext) => Reply | Promise<Reply>;
}

/** Matches a path against a template; undefined when it does not match. */
export function matchPath(template: string, actual: string): Record<string, string> | undefined {
  const t = template.split('/');
  const a = actual.replace(/\/+$/, '').split('/');
  if (t.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i += 1) {
    const seg = t[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return undefined;
  }
  return params;
}

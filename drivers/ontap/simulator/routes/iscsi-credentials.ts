import { badRequest, CODES, notFound } from '../errors.js';
import { credentialsOf, type SimCredential } from '../model.js';
import { collection, matchesQuery, project, requireString, valuesAt, type Rec } from '../records.js';
import type { RequestContext, Route } from '../router.js';
import { inScope, svmRef } from './render.js';
import { checkInitiator } from './san.js';

/** ONTAP: CHAP user names are 1 to 128 bytes; the simulator also bounds the password. */
const CHAP_USER = /^[\x21-\x7e]{1,128}$/;
const CHAP_PASSWORD = /^[\x21-\x7e]{1,512}$/;
const TYPES = ['chap', 'none', 'deny'] as const;

/** The record ONTAP answers: passwords are never returned. */
function credentialRecord(ctx: RequestContext, c: SimCredential): Rec {
  const svm = svmRef(ctx.cluster, c.svm);
  return {
    svm,
    initiator: c.initiator,
    authentication_type: c.authentication_type,
    ...(c.chap !== undefined ? { chap: { inbound: { user: c.chap.user } } } : {}),
    _links: { self: { href: `/api/protocols/san/iscsi/credentials/${String(svm.uuid)}/${encodeURIComponent(c.initiator)}` } },
  };
}

/** Reads `authentication_type` and inbound CHAP from a POST or PATCH body. */
function readAuth(body: Rec, current?: SimCredential): Pick<SimCredential, 'authentication_type' | 'chap'> {
  const raw = body.authentication_type ?? current?.authentication_type;
  const type = typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (!TYPES.includes(type as SimCredential['authentication_type'])) throw badRequest(CODES.invalidField, `invalid authentication_type ${JSON.stringify(raw)}`, 'authentication_type');
  if (type !== 'chap') return { authentication_type: type as SimCredential['authentication_type'], chap: undefined };
  const user = valuesAt(body, 'chap.inbound.user')[0] ?? current?.chap?.user;
  const password = valuesAt(body, 'chap.inbound.password')[0] ?? current?.chap?.password;
  if (typeof user !== 'string' || !CHAP_USER.test(user)) throw badRequest(CODES.invalidField, 'chap.inbound.user must be 1 to 128 printable characters', 'chap.inbound.user');
  if (typeof password !== 'string' || !CHAP_PASSWORD.test(password)) throw badRequest(CODES.invalidField, 'chap.inbound.password is required with authentication_type chap', 'chap.inbound.password');
  return { authentication_type: 'chap', chap: { user, password } };
}

/** The credentials named by `{svm}/{initiator}` in the path. */
function scopedCredential(ctx: RequestContext): SimCredential {
  const svm = ctx.cluster.svm(ctx.params.svm!).name;
  const initiator = ctx.params.initiator!.toLowerCase();
  const c = credentialsOf(ctx.cluster.state).find((x) => x.svm === svm && x.initiator === initiator);
  if (c === undefined || !inScope(ctx.scope, svm)) throw notFound(`iSCSI credentials of ${initiator}`, 'initiator');
  return c;
}

/** iSCSI credentials per initiator (`vserver iscsi security`); the target enforces them at login. */
export const iscsiCredentialRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/protocols/san/iscsi/credentials',
    handler: (ctx) => {
      const recs = credentialsOf(ctx.cluster.state)
        .filter((c) => inScope(ctx.scope, c.svm))
        .map((c) => credentialRecord(ctx, c))
        .filter((r) => matchesQuery(r, ctx.query))
        .map((r) => project(r, ['svm', 'initiator'], ctx.query.get('fields')));
      return { status: 200, body: collection(recs, ctx.query, '/api/protocols/san/iscsi/credentials') };
    },
  },
  { method: 'GET', path: '/api/protocols/san/iscsi/credentials/{svm}/{initiator}', handler: (ctx) => ({ status: 200, body: credentialRecord(ctx, scopedCredential(ctx)) }) },
  {
    method: 'POST',
    path: '/api/protocols/san/iscsi/credentials',
    handler: async (ctx) => {
      const { cluster, body, scope } = ctx;
      const svm = cluster.svm(scope ?? String(valuesAt(body, 'svm.name')[0] ?? requireString(body, 'svm.uuid'))).name;
      const initiator = checkInitiator(requireString(body, 'initiator'));
      const all = credentialsOf(cluster.state);
      if (all.some((c) => c.svm === svm && c.initiator === initiator)) throw badRequest(CODES.credentialsExist, `iSCSI credentials for initiator "${initiator}" already exist`, 'initiator');
      const created: SimCredential = { svm, initiator, ...readAuth(body) };
      all.push(created);
      cluster.commit();
      await cluster.exportLuns();
      return { status: 201, body: ctx.query.get('return_records') === 'true' ? { num_records: 1, records: [credentialRecord(ctx, created)] } : {} };
    },
  },
  {
    method: 'PATCH',
    path: '/api/protocols/san/iscsi/credentials/{svm}/{initiator}',
    handler: async (ctx) => {
      const c = scopedCredential(ctx);
      Object.assign(c, readAuth(ctx.body, c));
      ctx.cluster.commit();
      await ctx.cluster.exportLuns();
      return { status: 200, body: {} };
    },
  },
  {
    method: 'DELETE',
    path: '/api/protocols/san/iscsi/credentials/{svm}/{initiator}',
    handler: async (ctx) => {
      const c = scopedCredential(ctx);
      ctx.cluster.state.credentials = credentialsOf(ctx.cluster.state).filter((x) => x !== c);
      ctx.cluster.commit();
      await ctx.cluster.exportLuns();
      return { status: 200, body: {} };
    },
  },
];

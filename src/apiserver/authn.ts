// Who a request comes from: `Authorization: Bearer <token>` read as kube-apiserver's bearer-token
// authenticator reads it (scheme in any case, the token is the second space-separated word).
// Either the admin token of the data dir (compared in constant time) or a service account token
// this server signed and whose account (and bound object) still exists. Anything else is
// unauthenticated (401). Authorization is not decided here: every authenticated user may do
// anything (SECURITY.md).
import { timingSafeEqual } from 'node:crypto';
import { R } from '../api/resources.ts';
import { keyOf, type ServerContext } from './context.ts';
import { looksLikeJwt } from './tokens/jwt.ts';
import { authenticateToken, type Lookup, type ServiceAccountUser } from './tokens/serviceaccount.ts';

export type RequestUser = { kind: 'admin' } | { kind: 'serviceaccount'; user: ServiceAccountUser };


export function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(' ', 3);
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1]!;
}

/** An authenticator for one server: the admin token, then service account tokens. */
export function authenticator(ctx: ServerContext, adminToken: string): (header: string | undefined) => RequestUser | undefined {
  const expected = Buffer.from(adminToken);
  const lookup: Lookup = (plural, ns, name) => ctx.store.get(keyOf(R[plural], ns, name));
  return (header) => {
    const token = bearerToken(header);
    if (token === undefined) return undefined;
    const got = Buffer.from(token);
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { kind: 'admin' };
    if (!ctx.signingKey || !looksLikeJwt(token)) return undefined;
    const r = authenticateToken(token, ctx.signingKey, lookup, ctx.now());
    return 'user' in r ? { kind: 'serviceaccount', user: r.user } : undefined;
  };
}

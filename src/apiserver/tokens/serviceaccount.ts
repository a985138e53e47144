// Service account tokens as kube-apiserver issues and checks them (pkg/serviceaccount): the
// claims (iss, sub system:serviceaccount:NS:NAME, aud, exp, iat, nbf, jti and the kubernetes.io
// claim naming the namespace, the account and what the token is bound to), and the bearer-token
// authenticator: signature, issuer, audience, time (one minute of leeway), then the account (and
// the bound pod, secret or node) must still exist with the same uid. What an authenticated
// account may do is not decided here: mk has no RBAC, every authenticated user may do anything.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.ts';
import { signJwt, verifyJwt, type SigningKey } from './jwt.ts';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** --api-audiences defaults to the issuer */
export const API_AUDIENCES: readonly string[] = [ISSUER];
/** what the ServiceAccount admission plugin asks for; such pod-bound tokens are extended */
export { WARN_ONLY_EXPIRATION_SECONDS } from '../../api/serviceaccounts.ts';
/** --service-account-extend-token-expiration (on by default): they really last a year */
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;
const LEEWAY_SECONDS = 60;
/** a bound object deleted longer ago than this no longer backs its tokens */
const DELETED_GRACE_SECONDS = 60;

interface Ref {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: { name: string; uid?: string };
  warnafter?: number;
}

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

export interface IssueOptions {
  sa: KubeObject;
  pod?: KubeObject;
  secret?: KubeObject;
  /** the pod's node (or the node bound to): name, and uid when the Node exists */
  node?: { name: string; uid?: string };
  audiences: string[];
  expirationSeconds: number;
  /** set for extended tokens: when the requested life ended */
  warnAfterSeconds?: number;
  now: Date;
}

const ref = (o: KubeObject): Ref => ({ name: o.metadata.name!, uid: o.metadata.uid! });

export function tokenClaims(o: IssueOptions): TokenClaims {
  const iat = Math.floor(o.now.getTime() / 1000);
  const ns = o.sa.metadata.namespace ?? 'default';
  const k8s: KubernetesClaim = { namespace: ns, serviceaccount: ref(o.sa) };
  if (o.node) k8s.node = o.node.uid ? { name: o.node.name, uid: o.node.uid } : { name: o.node.name };
  if (o.pod) k8s.pod = ref(o.pod);
  if (o.secret) k8s.secret = ref(o.secret);
  if (o.warnAfterSeconds !== undefined) k8s.warnafter = iat + o.warnAfterSeconds;
  return {
    aud: o.audiences,
    exp: iat + o.expirationSeconds,
    iat,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${o.sa.metadata.name}`,
  };
}

export function issueToken(o: IssueOptions, key: SigningKey): string {
  return signJwt(tokenClaims(o) as unknown as Record<string, unknown>, key);
}

/** Who a valid token speaks for (user.Info of kube-apiserver's authenticator). */
export interface ServiceAccountUser {
  username: string;
  uid: string;
  groups: string[];
  namespace: string;
  name: string;
  /** the bound pod, when there is one */
  pod?: Ref;
}

/** Finds an object in the store (namespace undefined for Nodes). */
export type Lookup = (plural: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string | undefined, name: string) => KubeObject | undefined;

export type AuthResult = { user: ServiceAccountUser } | { error: string };

const isRef = (v: unknown): v is Ref => typeof v === 'object' && v !== null && typeof (v as Ref).name === 'string' && typeof (v as Ref).uid === 'string';

function boundObjectError(what: string, obj: KubeObject | undefined, claim: Ref, now: number): string | undefined {
  if (!obj) return `${what} ${claim.name} has been deleted`;
  if (obj.metadata.uid !== claim.uid) return `${what} UID (${obj.metadata.uid}) does not match claim (${claim.uid})`;
  const deleted = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) / 1000 : undefined;
  if (deleted !== undefined && deleted < now - DELETED_GRACE_SECONDS) return `${what} ${claim.name} is being deleted`;
  return undefined;
}

/** kube-apiserver's service account token authenticator for one bearer token. */
export function authenticateToken(token: string, key: SigningKey, lookup: Lookup, now: Date): AuthResult {
  const v = verifyJwt(token, key);
  if ('error' in v) return v;
  const c = v.payload as Partial<TokenClaims>;
  const t = Math.floor(now.getTime() / 1000);
  if (c.iss !== ISSUER) return { error: 'token issued by another issuer' };
  const aud = Array.isArray(c.aud) ? c.aud : typeof c.aud === 'string' ? [c.aud] : [];
  if (!aud.some((a) => API_AUDIENCES.includes(a))) return { error: 'token audiences do not match the API server\'s' };
  if (typeof c.exp !== 'number' || t > c.exp + LEEWAY_SECONDS) return { error: 'token has expired' };
  if (typeof c.nbf === 'number' && t < c.nbf - LEEWAY_SECONDS) return { error: 'token is not valid yet' };
  if (typeof c.iat === 'number' && t < c.iat - LEEWAY_SECONDS) return { error: 'token used before issued' };
  const k = c['kubernetes.io'];
  if (!k || typeof k.namespace !== 'string' || !isRef(k.serviceaccount)) return { error: 'token has no service account claim' };
  if (c.sub !== `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`) return { error: 'token subject does not match its service account' };
  const problem =
    boundObjectError('serviceaccount', lookup('serviceaccounts', k.namespace, k.serviceaccount.name), k.serviceaccount, t) ??
    (isRef(k.pod) ? boundObjectError('pod', lookup('pods', k.namespace, k.pod.name), k.pod, t) : undefined) ??
    (isRef(k.secret) ? boundObjectError('secret', lookup('secrets', k.namespace, k.secret.name), k.secret, t) : undefined) ??
    (isRef(k.node) && !k.pod ? boundObjectError('node', lookup('nodes', undefined, k.node.name), k.node, t) : undefined);
  if (problem) return { error: problem };
  const user: ServiceAccountUser = {
    username: c.sub,
    uid: k.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
    namespace: k.namespace,
    name: k.serviceaccount.name,
  };
  if (isRef(k.pod)) user.pod = k.pod;
  return { user };
}

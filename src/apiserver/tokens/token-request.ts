// POST …/serviceaccounts/NAME/token (TokenRequest, authentication.k8s.io/v1), as kube-apiserver's
// TokenREST answers it: the account must exist; audiences default to the API server's,
// expirationSeconds to an hour (at least ten minutes); a token bound to a Pod, Secret or Node
// names that object (its uid must match, a pod must run as this account). A pod-bound token
// asked for with the admission plugin's 3607 s lasts a year with `warnafter` at 3607 s
// (--service-account-extend-token-expiration), while the answer still says 3607 s, so the
// kubelet renews it on the usual schedule. `kubectl create token` prints status.token.
import { R } from '../../api/resources.ts';
import { ApiError, cause, errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { parseObjectBody } from '../body.ts';
import { keyOf, mustGet, type ResourceRequest, type ServerContext } from '../context.ts';
import type { Reply } from '../http.ts';
import { rfc3339 } from '../admit.ts';
import { API_AUDIENCES, EXTENDED_EXPIRATION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS, issueToken, type IssueOptions } from './serviceaccount.ts';
import type { SigningKey } from './jwt.ts';

const TOKEN_REQUEST = { group: 'authentication.k8s.io', kind: 'TokenRequest', plural: 'tokenrequests' };
const API_VERSION = 'authentication.k8s.io/v1';

interface BoundRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

function invalid(name: string, field: string, value: unknown, detail: string): ApiError {
  return errors.invalid(TOKEN_REQUEST, name, [cause.invalid(field, value, detail)]);
}

export function tokenRequest(ctx: ServerContext, req: ResourceRequest & { name: string }, key: SigningKey | undefined): Reply {
  if (req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  if (!key) throw errors.internal('this API server issues no service account tokens');
  const body = parseObjectBody(req.body, req.headers['content-type']) as Record<string, any>;
  if (body.apiVersion !== undefined && body.apiVersion !== API_VERSION) throw errors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${API_VERSION})`);
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (TokenRequest)`);
  const ns = req.namespace!;
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  if (meta.name && meta.name !== req.name) throw invalid(req.name, 'metadata.name', meta.name, 'must match the service account name if specified');
  if (meta.namespace && meta.namespace !== ns) throw invalid(req.name, 'metadata.namespace', meta.namespace, 'must match the service account namespace if specified');
  const sa = mustGet(ctx, R.serviceaccounts, ns, req.name);
  const spec = (body.spec ?? {}) as { audiences?: unknown; expirationSeconds?: unknown; boundObjectRef?: BoundRef | null };
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : [...API_AUDIENCES];
  const expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? 3600 : Number(spec.expirationSeconds);
  if (!Number.isInteger(expirationSeconds)) throw invalid('', 'spec.expirationSeconds', spec.expirationSeconds, 'must be an integer');
  if (expirationSeconds < 600) throw invalid('', 'spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes');
  if (expirationSeconds > 2 ** 32) throw invalid('', 'spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds');

  const now = ctx.now();
  const o: IssueOptions = { sa, audiences, expirationSeconds, now };
  const ref = spec.boundObjectRef ?? undefined;
  if (ref) bind(ctx, o, ref, ns, req.name);
  // the safe-rollout extension of pod-bound tokens for the API server's own audiences
  if (o.pod && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && audiences.every((a) => API_AUDIENCES.includes(a))) {
    o.warnAfterSeconds = expirationSeconds;
    o.expirationSeconds = EXTENDED_EXPIRATION_SECONDS;
  }
  const token = issueToken(o, key);
  return {
    code: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: API_VERSION,
      metadata: { name: req.name, namespace: ns, creationTimestamp: rfc3339(now) },
      spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
      status: { token, expirationTimestamp: rfc3339(new Date(now.getTime() + expirationSeconds * 1000)) },
    },
  };
}

function bind(ctx: ServerContext, o: IssueOptions, ref: BoundRef, ns: string, saName: string): void {
  const [group] = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion ?? '').split('/') : [''];
  const name = ref.name ?? '';
  let obj: KubeObject;
  if (group === '' && ref.kind === 'Pod') {
    obj = mustGet(ctx, R.pods, ns, name);
    if (obj.spec?.serviceAccountName !== saName) throw errors.badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
    o.pod = obj;
    const nodeName: string | undefined = obj.spec?.nodeName;
    if (nodeName) {
      const node = ctx.store.get(keyOf(R.nodes, undefined, nodeName));
      o.node = { name: nodeName, uid: node?.metadata.uid };
    }
  } else if (group === '' && ref.kind === 'Secret') {
    obj = mustGet(ctx, R.secrets, ns, name);
    o.secret = obj;
  } else if (group === '' && ref.kind === 'Node') {
    obj = mustGet(ctx, R.nodes, undefined, name);
    o.node = { name, uid: obj.metadata.uid };
  } else {
    const gvk = `${ref.apiVersion ? `${ref.apiVersion}, ` : ''}Kind=${ref.kind ?? ''}`;
    throw errors.badRequest(`cannot bind token to object of type ${gvk.startsWith('v1, ') ? `/${gvk}` : gvk}`);
  }
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${ref.kind} "${name}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`, { name, kind: ref.kind });
  }
}

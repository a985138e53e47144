// The access reviews kubectl's `auth` commands send, answered for whoever sent them and never
// stored: SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`), SelfSubjectRulesReview
// (`can-i --list`) and SelfSubjectReview (`kubectl auth whoami`). They say what mk enforces:
// every authenticated identity — the admin token and every service account token — may do
// everything (no RBAC; SECURITY.md), so every review is allowed and every rule is `*`.
import { groupVersion, type ResourceType } from '../../api/resources.ts';
import { errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { checkFields, checkTypeMeta } from '../admit.ts';
import type { RequestUser } from '../authn.ts';
import { parseObjectBody } from '../body.ts';
import type { ResourceRequest } from '../context.ts';
import type { Reply } from '../http.ts';

/** Why every request is allowed, as a SubjectAccessReview reason. */
export const ALLOW_REASON = 'mk authorizes every authenticated user: there is no RBAC';

/** The identity a request carries, as kube-apiserver's UserInfo. */
export function userInfo(user: RequestUser | undefined): { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> } {
  if (!user || user.kind === 'admin') return { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  const u = user.user;
  const extra: Record<string, string[]> = {};
  if (u.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [u.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [u.pod.uid];
  }
  return { username: u.username, uid: u.uid, groups: u.groups, ...(Object.keys(extra).length ? { extra } : {}) };
}

function status(r: ResourceType, user: RequestUser | undefined): Record<string, unknown> {
  switch (r.kind) {
    case 'SelfSubjectAccessReview':
      return { allowed: true, reason: ALLOW_REASON };
    case 'SelfSubjectRulesReview':
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    default:
      return { userInfo: userInfo(user) };
  }
}

/** POST of a review: checked as any body is, answered 201 with its status. */
export function review(req: ResourceRequest): Reply {
  const { r } = req;
  if (req.method !== 'POST' || req.name !== undefined) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  const obj = parseObjectBody(req.body, req.headers['content-type']);
  checkTypeMeta(obj, r);
  const warnings = checkFields(obj as KubeObject, r, req.query);
  const spec = (obj as KubeObject).spec;
  if (r.kind === 'SelfSubjectAccessReview') {
    const has = (k: string) => spec?.[k] !== undefined && spec?.[k] !== null;
    if (has('resourceAttributes') === has('nonResourceAttributes')) {
      throw errors.invalid(r, '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
    }
  }
  const body: Record<string, unknown> = { kind: r.kind, apiVersion: groupVersion(r), metadata: { ...obj.metadata, creationTimestamp: null } };
  if (r.kind !== 'SelfSubjectReview') body.spec = spec ?? {};
  body.status = status(r, req.user);
  return { code: 201, body, warnings };
}

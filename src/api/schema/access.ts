// Schemas of coordination.k8s.io/v1 Lease and of the access reviews kubectl's `auth` commands
// send: authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview,
// authentication.k8s.io/v1 SelfSubjectReview.
import { topLevel } from './meta.ts';
import { arr, bool, i32, mapOf, obj, str, strings, time } from './types.ts';

const COORD = 'io.k8s.api.coordination.v1.';
const AUTHZ = 'io.k8s.api.authorization.v1.';
const AUTHN = 'io.k8s.api.authentication.v1.';

export const lease = topLevel(COORD + 'Lease', {
  spec: obj(COORD + 'LeaseSpec', {
    holderIdentity: str,
    leaseDurationSeconds: i32,
    acquireTime: time,
    renewTime: time,
    leaseTransitions: i32,
    strategy: str,
    preferredHolder: str,
  }),
});

const requirement = (name: string) => obj(AUTHZ + name, { key: str, operator: str, values: strings }, ['key', 'operator']);

const resourceAttributes = obj(AUTHZ + 'ResourceAttributes', {
  namespace: str,
  verb: str,
  group: str,
  version: str,
  resource: str,
  subresource: str,
  name: str,
  fieldSelector: obj(AUTHZ + 'FieldSelectorAttributes', { rawSelector: str, requirements: arr(requirement('FieldSelectorRequirement')) }),
  labelSelector: obj(AUTHZ + 'LabelSelectorAttributes', { rawSelector: str, requirements: arr(requirement('LabelSelectorRequirement')) }),
});

export const selfSubjectAccessReview = topLevel(AUTHZ + 'SelfSubjectAccessReview', {
  spec: obj(AUTHZ + 'SelfSubjectAccessReviewSpec', {
    resourceAttributes,
    nonResourceAttributes: obj(AUTHZ + 'NonResourceAttributes', { path: str, verb: str }),
  }),
  status: obj(AUTHZ + 'SubjectAccessReviewStatus', { allowed: bool, denied: bool, reason: str, evaluationError: str }, ['allowed']),
});

export const selfSubjectRulesReview = topLevel(AUTHZ + 'SelfSubjectRulesReview', {
  spec: obj(AUTHZ + 'SelfSubjectRulesReviewSpec', { namespace: str }),
  status: obj(AUTHZ + 'SubjectRulesReviewStatus', {
    resourceRules: arr(obj(AUTHZ + 'ResourceRule', { verbs: strings, apiGroups: strings, resources: strings, resourceNames: strings }, ['verbs'])),
    nonResourceRules: arr(obj(AUTHZ + 'NonResourceRule', { verbs: strings, nonResourceURLs: strings }, ['verbs'])),
    incomplete: bool,
    evaluationError: str,
  }, ['resourceRules', 'nonResourceRules', 'incomplete']),
});

export const selfSubjectReview = topLevel(AUTHN + 'SelfSubjectReview', {
  status: obj(AUTHN + 'SelfSubjectReviewStatus', {
    userInfo: obj(AUTHN + 'UserInfo', { username: str, uid: str, groups: strings, extra: mapOf(strings) }),
  }),
});

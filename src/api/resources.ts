// The registry of every resource mk serves: one row per kind, read by discovery, routing,
// the store's key scheme, the printers and the CLI's name resolution (`svc`, `deploy`, ...).
// Adding a kind starts here.
import { BugError } from '../lib/errors.ts';

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[]; // 'status', 'scale', 'exec', 'log', 'portforward', 'proxy', 'token'
  listKind: string;
  /**
   * A version objects are not stored in: they are stored as `storage` (an apiVersion of the
   * same kind) and converted on the way in and out. An old version served for old manifests
   * only gives every request `warning`, kube-apiserver's deprecation Warning.
   */
  convert?: { storage: string; warning?: string };
  /** Never stored: a POST is answered with the object and its computed status (access reviews). */
  virtual?: boolean;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(group: string, version: string, kind: string, plural: string, opts: Partial<ResourceType> = {}): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    subresources: [],
    listKind: `${kind}List`,
    ...opts,
  };
}

export const RESOURCES: readonly ResourceType[] = [
  rt('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], subresources: ['status'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  rt('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  rt('', 'v1', 'PersistentVolume', 'persistentvolumes', { namespaced: false, shortNames: ['pv'], subresources: ['status'] }),
  rt('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], subresources: ['status'] }),
  rt('', 'v1', 'Pod', 'pods', { shortNames: ['po'], categories: ['all'], subresources: ['status', 'exec', 'log', 'portforward', 'attach'] }),
  rt('', 'v1', 'Service', 'services', { shortNames: ['svc'], categories: ['all'], subresources: ['status', 'proxy'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  rt('', 'v1', 'Endpoints', 'endpoints', { singular: 'endpoints', shortNames: ['ep'] }),
  rt('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  rt('', 'v1', 'Secret', 'secrets'),
  rt('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'], subresources: ['token'] }),
  rt('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  // groups in kube-apiserver's order; kubectl expands `get all` in discovery order, and within a
  // group kube-apiserver lists resources alphabetically
  rt('apps', 'v1', 'DaemonSet', 'daemonsets', { shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  rt('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  rt('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  rt('apps', 'v1', 'StatefulSet', 'statefulsets', { shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'] }),
  rt('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  rt('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', { namespaced: false, verbs: ['create'], virtual: true }),
  rt('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', { namespaced: false, verbs: ['create'], virtual: true }),
  rt('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', { namespaced: false, verbs: ['create'], virtual: true }),
  rt('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { shortNames: ['hpa'], categories: ['all'], subresources: ['status'] }),
  // kubectl 1.27–1.32 `autoscale` writes v1 (1.33 tries v2 first): stored as v2
  rt('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { subresources: ['status'], convert: { storage: 'autoscaling/v2' } }),
  rt('batch', 'v1', 'CronJob', 'cronjobs', { shortNames: ['cj'], categories: ['all'], subresources: ['status'] }),
  rt('batch', 'v1', 'Job', 'jobs', { categories: ['all'], subresources: ['status'] }),
  rt('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: ['status'] }),
  // old versions carry no short name: `kubectl get ing` must not warn that it could mean them
  rt('networking.k8s.io', 'v1beta1', 'Ingress', 'ingresses', {
    subresources: ['status'],
    convert: { storage: 'networking.k8s.io/v1', warning: 'networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress' },
  }),
  rt('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', { namespaced: false }),
  rt('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { namespaced: false, shortNames: ['sc'] }),
  rt('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  rt('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  // last: kubectl prefers groups in discovery order, and `kubectl get ingress` must mean networking.k8s.io/v1
  rt('extensions', 'v1beta1', 'Ingress', 'ingresses', {
    subresources: ['status'],
    convert: { storage: 'networking.k8s.io/v1', warning: 'extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress' },
  }),
];

/** The resource a converted version is stored as (itself for the rest). */
export function storageOf(r: ResourceType): ResourceType {
  if (!r.convert) return r;
  const s = RESOURCES.find((x) => groupVersion(x) === r.convert!.storage && x.kind === r.kind);
  if (!s) throw new BugError(`no storage version ${r.convert.storage} for ${r.kind}`);
  return s;
}

export function groupVersion(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `service`, `deployment.apps`: the prefix of kubectl's `service/kubia created`. */
export function qualifiedSingular(r: ResourceType): string {
  return r.group ? `${r.singular}.${r.group}` : r.singular;
}

export function byKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
}

export function kindsNamed(kind: string): ResourceType[] {
  return RESOURCES.filter((r) => r.kind === kind);
}

export function byPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/**
 * Resolves what a user types after `get`/`describe`/`delete`: plural, singular, short name,
 * kind, or any of these qualified by group (`deployments.apps`, `ingress.networking.k8s.io`).
 */
export function resolveResource(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return RESOURCES.find(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
  );
}

/** A resource mk's own code names: a missing one is mk's bug. */
function mustResource(name: string): ResourceType {
  const r = resolveResource(name);
  if (!r || r.convert) throw new BugError(`resource ${name} is not registered`);
  return r;
}

const PLURALS = [
  'namespaces', 'nodes', 'pods', 'services', 'endpoints', 'configmaps', 'secrets', 'events',
  'deployments', 'replicasets', 'ingresses', 'ingressclasses', 'endpointslices', 'serviceaccounts',
  'persistentvolumes', 'persistentvolumeclaims', 'storageclasses',
  'statefulsets', 'daemonsets', 'controllerrevisions', 'jobs', 'cronjobs', 'horizontalpodautoscalers', 'leases',
  'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews',
] as const;

/** The resources mk's own code names, by plural (`R.pods`, `R.deployments`): the one table. */
export const R = Object.fromEntries(PLURALS.map((p) => [p, mustResource(p)])) as Record<(typeof PLURALS)[number], ResourceType>;

export const GROUP_VERSIONS: readonly string[] = [...new Set(RESOURCES.map(groupVersion))];

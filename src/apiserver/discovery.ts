// Discovery documents as kubectl reads them (legacy, non-aggregated form): /version, /api,
// /apis, /apis/<group>, and the APIResourceList of each group-version, built from the
// resource registry (src/api/resources.ts). Documents are built once; they never change.
import { groupVersion, RESOURCES, GROUP_VERSIONS, type ResourceType } from '../api/resources.ts';

export { VERSION } from '../api/version.ts';

interface Sub { kind: string; verbs: string[]; group?: string; version?: string }

/** What each subresource looks like in an APIResourceList (kind and verbs as Kubernetes lists them). */
function subresource(r: ResourceType, sub: string): Sub {
  switch (sub) {
    case 'status': return { kind: r.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale': return { kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' };
    case 'exec': return { kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach': return { kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward': return { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'log': return { kind: 'Pod', verbs: ['get'] };
    case 'token': return { kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' };
    case 'proxy': return { kind: r.kind === 'Pod' ? 'PodProxyOptions' : r.kind === 'Node' ? 'NodeProxyOptions' : 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    default: return { kind: r.kind, verbs: ['get'] };
  }
}

function resourceEntries(r: ResourceType): object[] {
  const main: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
  if (r.shortNames.length) main.shortNames = r.shortNames;
  if (r.categories.length) main.categories = r.categories;
  const subs: object[] = r.subresources.map((s) => {
    const d = subresource(r, s);
    const e: Record<string, unknown> = { name: `${r.plural}/${s}`, singularName: '', namespaced: r.namespaced };
    if (d.group) e.group = d.group;
    if (d.version) e.version = d.version;
    return { ...e, kind: d.kind, verbs: d.verbs };
  });
  if (r.kind === 'Namespace') subs.push({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
  return [main, ...subs];
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string): object {
  const versions = GROUP_VERSIONS.filter((gv) => gv.startsWith(group + '/')).map((gv) => ({ groupVersion: gv, version: gv.slice(group.length + 1) }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export const apiGroupList = (): object => ({
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== ''))].map(apiGroup),
});

export function apiGroupDoc(group: string): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

export function apiResourceList(group: string, version: string): object {
  const gv = group ? `${group}/${version}` : version;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: RESOURCES.filter((r) => groupVersion(r) === gv).flatMap(resourceEntries),
  };
}

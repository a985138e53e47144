// `mk expose TYPE NAME`: kubectl's expose, client side (kubectl/pkg/cmd/expose and the
// polymorphic helpers it calls). The selector, ports, protocols and labels are read from the
// exposed object unless given; the Service is built here and POSTed, the server allocates the
// clusterIP and nodePorts. Only Pods, Services, Deployments and ReplicaSets can be exposed.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import type { KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { resolveType } from './targets.ts';

export interface ExposeOptions {
  namespace?: string;
  /** --port: the Service port (a number as text, as kubectl takes it) */
  port?: string;
  targetPort?: string;
  type?: string;
  /** --name: the Service's name (default: the object's, cut to 63 characters) */
  name?: string;
  protocol?: string;
  /** --selector k=v,k2=v2 (default: the object's selector) */
  selector?: string;
  sessionAffinity?: string;
  externalIp?: string;
  loadBalancerIp?: string;
  clusterIp?: string;
  /** -l/--labels k=v,... (default: the object's labels) */
  labels?: string;
}

/** The options `mk expose`'s flags give. */
export function exposeOptions(f: {
  namespace?: string; port?: string; 'target-port'?: string; type?: string; name?: string; protocol?: string; selector?: string;
  'session-affinity'?: string; 'external-ip'?: string; 'load-balancer-ip'?: string; 'cluster-ip'?: string; labels?: string;
}): ExposeOptions {
  return {
    namespace: f.namespace, port: f.port, targetPort: f['target-port'], type: f.type, name: f.name, protocol: f.protocol,
    selector: f.selector, sessionAffinity: f['session-affinity'], externalIp: f['external-ip'], loadBalancerIp: f['load-balancer-ip'],
    clusterIp: f['cluster-ip'], labels: f.labels,
  };
}

const EXPOSABLE = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet']);
const DNS1035_LABEL_MAX = 63;

/** `deployment hello` or `deployment/hello` → the resource and the name. */
export function parseExposeArgs(args: string[]): { type: string; name: string } {
  if (args.length === 0) {
    throw new UserError('error: You must provide one or more resources by argument or filename.', "Example resource specifications include:\n   '<resource> <name>'\n   '<resource>/<name>'");
  }
  if (args.length === 1) {
    const slash = args[0]!.indexOf('/');
    if (slash < 0) throw new UserError('error: resource(s) were provided, but no name was specified');
    return { type: args[0]!.slice(0, slash), name: args[0]!.slice(slash + 1) };
  }
  if (args.length > 2) throw new UserError('error: expose takes a single resource (TYPE NAME or TYPE/NAME)', "See 'mk expose -h' for help and examples");
  return { type: args[0]!, name: args[1]! };
}

type Port = { containerPort?: number; port?: number; protocol?: string };

function containersOf(kind: string, obj: KubeObject): { ports?: Port[] }[] {
  const spec = kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return (spec?.containers ?? []) as { ports?: Port[] }[];
}

/** The object's ports in kubectl's order, duplicates removed (portsForObject). */
export function portsForObject(kind: string, obj: KubeObject): string[] {
  const raw = kind === 'Service'
    ? ((obj.spec?.ports ?? []) as Port[]).map((p) => p.port)
    : containersOf(kind, obj).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
  return [...new Set(raw.filter((p): p is number => typeof p === 'number').map(String))];
}

/** port → protocols, every occurrence kept (multiProtocolsForObject). */
export function protocolsForObject(kind: string, obj: KubeObject): Map<string, string[]> {
  const pairs = kind === 'Service'
    ? ((obj.spec?.ports ?? []) as Port[]).map((p) => [p.port, p.protocol] as const)
    : containersOf(kind, obj).flatMap((c) => (c.ports ?? []).map((p) => [p.containerPort, p.protocol] as const));
  const out = new Map<string, string[]>();
  for (const [port, protocol] of pairs) {
    const key = String(port);
    out.set(key, [...(out.get(key) ?? []), protocol || 'TCP']);
  }
  return out;
}

function makeLabels(m: Record<string, string> | undefined): string {
  return Object.entries(m ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The selector kubectl derives from the object (mapBasedSelectorForObject), as `k=v,…`. */
export function selectorForObject(kind: string, obj: KubeObject): string {
  switch (kind) {
    case 'Pod':
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(obj.metadata.labels);
    case 'Service':
      if (obj.spec?.selector == null) throw new Error('the service has no pod selector set');
      return makeLabels(obj.spec.selector);
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = obj.spec?.selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
      const what = kind === 'Deployment' ? 'deployment' : 'replicaset';
      if (!sel || Object.keys(sel.matchLabels ?? {}).length === 0) throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`);
      if ((sel.matchExpressions ?? []).length > 0) throw new Error(`couldn't convert expressions - "${goExpressions(sel.matchExpressions as Expr[])}" to map-based selector format`);
      return makeLabels(sel.matchLabels);
    }
    default:
      throw new Error(`cannot extract pod selector from ${kind}`);
  }
}

type Expr = { key: string; operator: string; values?: string[] };
/** Go's %+v of []metav1.LabelSelectorRequirement. */
function goExpressions(es: Expr[]): string {
  return `[${es.map((e) => `{Key:${e.key} Operator:${e.operator} Values:[${(e.values ?? []).join(' ')}]}`).join(' ')}]`;
}

/** kubectl's parseLabels: `k=v,k2=v2`, each item exactly one `=`. */
export function parseLabels(spec: string): Record<string, string> {
  if (!spec) throw new UserError('error: no label spec passed');
  const out: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new UserError(`error: unexpected label spec: ${item}`);
    if (!kv[0]) throw new UserError('error: unexpected empty label key');
    out[kv[0]] = kv[1]!;
  }
  return out;
}

function intOrString(s: string): number | string {
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new UserError(`error: strconv.Atoi: parsing "${s}": invalid syntax`);
  return Number(s);
}

/** The Service kubectl would create for `kind` object `obj` with these flags. */
export function buildExposedService(kind: string, obj: KubeObject, o: ExposeOptions): KubeObject {
  if (!EXPOSABLE.has(kind)) throw new UserError(`error: cannot expose a ${kind}`);
  let selector = o.selector ?? '';
  if (!selector) {
    try {
      selector = selectorForObject(kind, obj);
    } catch (e) {
      throw new UserError(`error: couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const headless = o.clusterIp === 'None';
  let portString = o.port ?? '';
  if (!portString) {
    const ports = portsForObject(kind, obj);
    if (ports.length === 0 && !headless) throw new UserError('error: couldn\'t find port via --port flag or introspection');
    portString = ports.join(',');
  }
  const protocols = protocolsForObject(kind, obj);
  const labels = o.labels ? parseLabels(o.labels) : Object.keys(obj.metadata.labels ?? {}).length ? { ...obj.metadata.labels } : undefined;
  if (!selector) throw new UserError('error: selector must be specified');
  const name = o.name || (obj.metadata.name ?? '').slice(0, DNS1035_LABEL_MAX);
  if (!name) throw new UserError('error: name must be specified');

  const ports: Record<string, unknown>[] = [];
  const list = portString ? portString.split(',') : [];
  list.forEach((p, i) => {
    const port = atoi(p);
    const portName = list.length > 1 ? `port-${i + 1}` : undefined;
    let protocol = o.protocol ?? '';
    if (!protocol) {
      protocol = 'TCP';
      const found = protocols.get(p);
      if (found && found.length === 1) protocol = found[0]!;
      else if (found && found.length > 1) {
        for (const proto of found) ports.push({ name: `port-${i + 1}-${proto.toLowerCase()}`, port, protocol: proto });
        return;
      }
    }
    ports.push({ ...(portName ? { name: portName } : {}), port, protocol });
  });
  for (const p of ports) p.targetPort = o.targetPort ? intOrString(o.targetPort) : p.port;

  const spec: Record<string, unknown> = { ports, selector: parseLabels(selector) };
  if (o.externalIp) spec.externalIPs = [o.externalIp];
  if (o.type) spec.type = o.type;
  if (o.type === 'LoadBalancer' && o.loadBalancerIp) spec.loadBalancerIP = o.loadBalancerIp;
  if (o.sessionAffinity) {
    if (o.sessionAffinity !== 'None' && o.sessionAffinity !== 'ClientIP') throw new UserError(`error: unknown session affinity: ${o.sessionAffinity}`);
    spec.sessionAffinity = o.sessionAffinity;
  }
  if (o.clusterIp) spec.clusterIP = o.clusterIp;
  const metadata: KubeObject['metadata'] = { name };
  if (labels) metadata.labels = labels;
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

/** Reads the object, creates its Service and prints `service/NAME exposed`. */
export async function runExpose(client: KubeClient, args: string[], o: ExposeOptions, out: Output = processOutput): Promise<KubeObject> {
  const { type, name } = parseExposeArgs(args);
  const r = resolveType(type);
  if (!EXPOSABLE.has(r.kind)) throw new UserError(`error: cannot expose a ${r.group ? `${r.kind}.${r.group}` : r.kind}`);
  const obj = await client.get(r, o.namespace, name);
  const svc = buildExposedService(r.kind, obj, o);
  const created = await client.create(R.services, o.namespace, svc);
  out.out(`service/${created.metadata.name} exposed\n`);
  return created;
}

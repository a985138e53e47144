// `mk describe`: fetches each object and what its describer shows beside it (events, the
// Service's endpoints and slices, the pods of a ReplicaSet, StatefulSet, DaemonSet or Node, a
// Node's Lease, a Deployment's ReplicaSets) and prints C's describe text, objects separated by a blank line as kubectl does.
import { selectorString } from '../api/labels.ts';
import type { ResourceType } from '../api/resources.ts';
import { R } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { ApiError, isNotFound } from '../api/status.ts';
import type { KubeClient } from '../client/index.ts';
import { describe as describeText } from '../printers/describe/index.ts';
import type { DescribeContext } from '../printers/describe/index.ts';
import { apiErrorMessage, SilentExit } from './errors.ts';
import type { Output } from '../lib/output.ts';
import { parseTargets } from './targets.ts';
import { withTypeMeta, noResourcesMessage } from './get.ts';

export interface DescribeOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  showEvents?: boolean;
}

async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** Everything the describer for `r` reads besides the object itself. */
export async function describeContext(client: KubeClient, r: ResourceType, obj: KubeObject, showEvents = true): Promise<DescribeContext> {
  const ns = obj.metadata.namespace;
  const name = obj.metadata.name!;
  const ctx: DescribeContext = {};
  if (showEvents) {
    const fs = [`involvedObject.name=${name}`, ...(ns ? [`involvedObject.namespace=${ns}`] : []), `involvedObject.uid=${obj.metadata.uid ?? ''}`].join(',');
    const ev = await optional(client.list(R.events, { namespace: ns, allNamespaces: !ns, fieldSelector: fs }));
    ctx.events = ev?.items.map((e) => withTypeMeta(R.events, e)) ?? [];
  }
  if (r.kind === 'Service') {
    ctx.endpoints = await optional(client.get(R.endpoints, ns, name));
    const slices = await optional(client.list(R.endpointslices, { namespace: ns, labelSelector: `kubernetes.io/service-name=${name}` }));
    ctx.endpointSlices = slices?.items ?? [];
  } else if (r.kind === 'ReplicaSet' || r.kind === 'StatefulSet' || r.kind === 'DaemonSet') {
    const pods = await optional(client.list(R.pods, { namespace: ns, labelSelector: selectorString(obj.spec?.selector) }));
    ctx.pods = (pods?.items ?? []).filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.uid === obj.metadata.uid));
  } else if (r.kind === 'Deployment') {
    const rs = await optional(client.list(R.replicasets, { namespace: ns, labelSelector: selectorString(obj.spec?.selector) }));
    ctx.replicaSets = (rs?.items ?? []).filter((x) => (x.metadata.ownerReferences ?? []).some((o) => o.uid === obj.metadata.uid)).map((x) => withTypeMeta(R.replicasets, x));
  } else if (r.kind === 'Ingress') {
    const svcs = await optional(client.list(R.services, { namespace: ns }));
    const slices = await optional(client.list(R.endpointslices, { namespace: ns }));
    ctx.services = svcs?.items ?? [];
    ctx.endpointSlices = slices?.items ?? [];
  } else if (r.kind === 'PersistentVolumeClaim') {
    const pods = await optional(client.list(R.pods, { namespace: ns }));
    ctx.pods = pods?.items ?? [];
  } else if (r.kind === 'Node') {
    const pods = await optional(client.list(R.pods, { allNamespaces: true, fieldSelector: `spec.nodeName=${name}` }));
    ctx.pods = pods?.items ?? [];
    ctx.lease = (await optional(client.get(R.leases, 'kube-node-lease', name))) ?? null;
  } else if (r.kind === 'ServiceAccount') {
    ctx.secrets = (await optional(client.list(R.secrets, { namespace: ns })))?.items ?? [];
  }
  return ctx;
}

async function objectsFor(client: KubeClient, r: ResourceType, names: string[], o: DescribeOptions, failures: string[]): Promise<KubeObject[]> {
  if (names.length === 0) {
    const list = await client.list(r, { namespace: o.namespace, allNamespaces: o.allNamespaces, labelSelector: o.labelSelector });
    return list.items.map((i) => withTypeMeta(r, i));
  }
  const out: KubeObject[] = [];
  for (const name of names) {
    try {
      out.push(withTypeMeta(r, await client.get(r, o.namespace, name)));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // kubectl falls back to objects whose name starts with what was typed.
      const list = isNotFound(e) ? await client.list(r, { namespace: o.namespace }) : undefined;
      const prefixed = (list?.items ?? []).filter((i) => i.metadata.name?.startsWith(name));
      if (prefixed.length === 0) failures.push(apiErrorMessage(e));
      out.push(...prefixed.map((i) => withTypeMeta(r, i)));
    }
  }
  return out;
}

export async function describeCmd(client: KubeClient, args: string[], o: DescribeOptions, io: Output): Promise<void> {
  const failures: string[] = [];
  const texts: string[] = [];
  const targets = parseTargets(args);
  for (const t of targets) {
    for (const obj of await objectsFor(client, t.r, t.names, o, failures)) {
      texts.push(describeText(t.r, obj, await describeContext(client, t.r, obj, o.showEvents !== false)));
    }
  }
  if (texts.length > 0) io.out(texts.join('\n\n'));
  else if (failures.length === 0) io.err(noResourcesMessage(client.ns(o.namespace), o.allNamespaces)); // describe names the namespace even for nodes
  for (const f of failures) io.err(`${f}\n`);
  if (failures.length > 0) throw new SilentExit(1);
}

// describe for Namespace, ConfigMap, Secret, Node, and the generic fallback used for
// the remaining kinds (kubectl describe.go's describers of the same names).

import type { KubeObject } from '../../api/types.ts';
import { nodeRoles } from '../kinds/cluster.ts';
import { DescribeWriter, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import type { DescribeContext } from './index.ts';

export function describeNamespace(ns: KubeObject): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  writeLabels(w, 'Labels', ns.metadata.labels);
  writeAnnotations(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  return w.toString();
}

export function describeConfigMap(cm: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  writeLabels(w, 'Labels', cm.metadata.labels);
  writeAnnotations(w, 'Annotations', cm.metadata.annotations);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) {
    w.write(0, `${k}: ${Buffer.from(cm.binaryData[k], 'base64').length} bytes\n`);
  }
  w.write(0, '\n');
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeSecret(s: KubeObject): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  writeLabels(w, 'Labels', s.metadata.labels);
  writeAnnotations(w, 'Annotations', s.metadata.annotations);
  w.write(0, `\nType:\t${s.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(s.data ?? {}).sort()) {
    const v = Buffer.from(s.data[k], 'base64');
    w.write(0, s.type === 'kubernetes.io/service-account-token' && k !== 'ca.crt' ? `${k}:\t${v.toString()}\n` : `${k}:\t${v.length} bytes\n`);
  }
  return w.toString();
}

/** describeServiceAccount: pull and mountable secrets (missing ones said), token secrets (naming the account by name and uid). */
export function describeServiceAccount(sa: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  writeLabels(w, 'Labels', sa.metadata.labels);
  writeAnnotations(w, 'Annotations', sa.metadata.annotations);
  const secrets = ctx.secrets ?? [];
  const present = new Set(secrets.map((s) => s.metadata.name));
  const tokens = secrets
    .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === sa.metadata.name
      && s.metadata.annotations?.['kubernetes.io/service-account.uid'] === sa.metadata.uid)
    .map((s) => s.metadata.name!);
  const groups: [string, string[]][] = [
    ['Image pull secrets:', ((sa.imagePullSecrets ?? []) as { name: string }[]).map((s) => s.name)],
    ['Mountable secrets: ', ((sa.secrets ?? []) as { name: string }[]).map((s) => s.name)],
    ['Tokens:            ', tokens],
  ];
  for (const [header, names] of groups) {
    if (names.length === 0) w.write(0, `${header}\t<none>\n`);
    names.forEach((n, i) => {
      const missing = !header.startsWith('Tokens') && !present.has(n);
      w.write(0, `${i === 0 ? header : '                   '}\t${n}${missing ? ' (not found)' : ''}\n`);
    });
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeNode(node: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const st = node.status ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  w.write(0, `Roles:\t${nodeRoles(node).join(',') || '<none>'}\n`);
  writeLabels(w, 'Labels', node.metadata.labels);
  writeAnnotations(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  const taints: any[] = node.spec?.taints ?? [];
  w.write(0, `Taints:\t${taints.length ? '' : '<none>\n'}`);
  taints.forEach((t, i) => w.write(0, `${i ? '\t' : ''}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable ? 'true' : 'false'}\n`);
  if (ctx.lease === null) w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${node.metadata.name}" not found\n`);
  else if (ctx.lease) {
    const spec = ctx.lease.spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
  }
  const conditions: any[] = st.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  const rows: [string, string | undefined][] = [
    ['Machine ID', info.machineID], ['System UUID', info.systemUUID], ['Boot ID', info.bootID], ['Kernel Version', info.kernelVersion],
    ['OS Image', info.osImage], ['Operating System', info.operatingSystem], ['Architecture', info.architecture],
    ['Container Runtime Version', info.containerRuntimeVersion], ['Kubelet Version', info.kubeletVersion], ['Kube-Proxy Version', info.kubeProxyVersion],
  ];
  for (const [k, v] of rows) w.write(1, `${k}:\t${v ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if ((node.spec?.podCIDRs ?? []).length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  const pods = (ctx.pods ?? []).filter((p) => p.spec?.nodeName === node.metadata.name && !['Succeeded', 'Failed'].includes(p.status?.phase));
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t------------\t----------\t---------------\t-------------\t---\n');
  for (const p of pods) {
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t${rfcAge(p, now)}\n`);
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}

function rfcAge(p: KubeObject, now: Date): string {
  const t = Date.parse(p.metadata.creationTimestamp ?? '');
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.trunc((now.getTime() - t) / 1000);
  return s < 120 ? `${s}s` : s < 3600 * 3 ? `${Math.trunc(s / 60)}m` : s < 86400 * 2 ? `${Math.trunc(s / 3600)}h` : `${Math.trunc(s / 86400)}d`;
}

/** Generic describer: name, namespace, labels, annotations, then events. */
export function describeGeneric(obj: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  if (obj.metadata.namespace) w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', obj.metadata.labels);
  writeAnnotations(w, 'Annotations', obj.metadata.annotations);
  w.write(0, `API Version:\t${obj.apiVersion}\n`);
  w.write(0, `Kind:\t${obj.kind}\n`);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

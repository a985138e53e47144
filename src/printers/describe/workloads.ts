// describe for Deployment and ReplicaSet (kubectl describe.go DeploymentDescriber,
// ReplicaSetDescriber): replica summary, strategy, pod template, conditions, owned sets.

import type { KubeObject } from '../../api/types.ts';
import { formatLabelSelector } from '../../api/labels.ts';
import { DescribeWriter, controllerOf, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import { writePodTemplate } from './containers.ts';
import type { DescribeContext } from './index.ts';

const ownedBy = (obj: KubeObject, owner: KubeObject): boolean =>
  (obj.metadata.ownerReferences ?? []).some((r) => r.controller && (r.uid === owner.metadata.uid || r.name === owner.metadata.name));

export function describeDeployment(d: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', d.metadata.labels);
  writeAnnotations(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  w.write(0, `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  const strategy = spec.strategy?.type ?? 'RollingUpdate';
  w.write(0, `StrategyType:\t${strategy}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  if (strategy === 'RollingUpdate' && spec.strategy?.rollingUpdate) {
    const ru = spec.strategy.rollingUpdate;
    w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge\n`);
  }
  writePodTemplate(w, spec.template);
  const conditions: { type: string; status: string; reason?: string }[] = st.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const sets = (ctx.replicaSets ?? []).filter((rs) => ownedBy(rs, d));
  const revision = (o: KubeObject): string | undefined => o.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const current = revision(d);
  const newRS = sets.find((rs) => current !== undefined && revision(rs) === current) ?? sets.find((rs) => (rs.spec?.replicas ?? 0) > 0);
  const old = sets.filter((rs) => rs !== newRS && ((rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0));
  const fmt = (rs: KubeObject): string => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;
  w.write(0, `OldReplicaSets:\t${old.length ? old.map(fmt).join(', ') : '<none>'}\n`);
  w.write(0, `NewReplicaSet:\t${newRS ? fmt(newRS) : '<none>'}\n`);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeReplicaSet(rs: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = rs.spec ?? {};
  const pods = (ctx.pods ?? []).filter((p) => ownedBy(p, rs));
  const count = (phase: string): number => pods.filter((p) => p.status?.phase === phase).length;
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  writeLabels(w, 'Labels', rs.metadata.labels);
  writeAnnotations(w, 'Annotations', rs.metadata.annotations);
  const owner = controllerOf(rs);
  if (owner) w.write(0, `Controlled By:\t${owner}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  writePodTemplate(w, spec.template);
  const conditions: { type: string; status: string; reason?: string }[] = rs.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}

// describe for StatefulSet and DaemonSet (kubectl describe.go StatefulSetDescriber,
// DaemonSetDescriber): replicas or per-node counts, update strategy, the status of the pods
// they control, the pod template and a StatefulSet's volume claim templates.

import type { KubeObject } from '../../api/types.ts';
import { formatLabelSelector } from '../../api/labels.ts';
import { formatLabels } from '../table.ts';
import { DescribeWriter, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import { writePodTemplate } from './containers.ts';
import type { DescribeContext } from './index.ts';

/** getPodStatusForController: `N Running / N Waiting / N Succeeded / N Failed` of the pods the object controls. */
export function podsStatus(owner: KubeObject, pods: KubeObject[] | undefined): string {
  const mine = (pods ?? []).filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid));
  const count = (phase: string): number => mine.filter((p) => p.status?.phase === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}

/** printLabelsMultilineWithIndent with a two-space indent and a tab after the title. */
function writeIndentedMap(w: DescribeWriter, title: string, m: Record<string, string> | undefined): void {
  const keys = Object.keys(m ?? {}).sort();
  w.write(0, `  ${title}:\t`);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((k, i) => w.write(0, `${i ? '  \t' : ''}${k}=${m![k]}\n`));
}

function writeClaimTemplates(w: DescribeWriter, templates: KubeObject[] | undefined): void {
  if (!templates?.length) {
    w.write(0, 'Volume Claims:\t<none>\n');
    return;
  }
  w.write(0, 'Volume Claims:\n');
  for (const t of templates) {
    w.write(1, `Name:\t${t.metadata?.name ?? ''}\n`);
    const cls = t.spec?.storageClassName ?? t.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
    w.write(1, `StorageClass:\t${cls}\n`);
    writeIndentedMap(w, 'Labels', t.metadata?.labels);
    writeIndentedMap(w, 'Annotations', t.metadata?.annotations);
    w.write(1, `Capacity:\t${t.spec?.resources?.requests?.storage ?? '<default>'}\n`);
    w.write(1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(' ')}]\n`);
  }
}

export function describeStatefulSet(sts: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = sts.spec ?? {};
  w.write(0, `Name:\t${sts.metadata.name}\n`);
  w.write(0, `Namespace:\t${sts.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(sts.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  writeLabels(w, 'Labels', sts.metadata.labels);
  writeAnnotations(w, 'Annotations', sts.metadata.annotations);
  w.write(0, `Replicas:\t${spec.replicas ?? 0} desired | ${sts.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus(sts, ctx.pods)}\n`);
  writePodTemplate(w, spec.template);
  writeClaimTemplates(w, spec.volumeClaimTemplates);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeDaemonSet(ds: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = ds.spec ?? {};
  const st = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
  writeLabels(w, 'Labels', ds.metadata.labels);
  writeAnnotations(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(ds, ctx.pods)}\n`);
  writePodTemplate(w, spec.template);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

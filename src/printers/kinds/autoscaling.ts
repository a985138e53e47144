// HorizontalPodAutoscaler rows (printers.go printHorizontalPodAutoscaler and formatHPAMetrics):
// REFERENCE `Kind/name`, TARGETS `cpu: <unknown>/80%` until a metric is measured, at most two
// metrics then `+ N more...`.

import { ageSince } from '../age.ts';
import { AGE_COL, NAME_COL, col, type Printer } from '../columns.ts';

type Json = Record<string, any>;

const UNKNOWN = '<unknown>';

/** A Resource or ContainerResource metric: `cpu: 12%/80%`, or average values `memory: 50Mi/100Mi`. */
function resourceTarget(spec: Json, status: Json | undefined, name: string): string {
  if (spec.target?.averageValue !== undefined) return `${name}: ${status?.current?.averageValue ?? UNKNOWN}/${spec.target.averageValue}`;
  const current = status?.current?.averageUtilization !== undefined ? `${status.current.averageUtilization}%` : UNKNOWN;
  const want = spec.target?.averageUtilization !== undefined ? `${spec.target.averageUtilization}%` : '<auto>';
  return `${name}: ${current}/${want}`;
}

function valueOrAverage(spec: Json, status: Json | undefined): string {
  if (spec.target?.averageValue !== undefined) return `${status?.current?.averageValue ?? UNKNOWN}/${spec.target.averageValue} (avg)`;
  return `${status?.current?.value ?? UNKNOWN}/${spec.target?.value ?? ''}`;
}

/** formatHPAMetrics: each metric's current value against its target, in spec order. */
export function formatHPAMetrics(specs: Json[] | undefined, statuses: Json[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((m, i) => {
    const st = statuses?.[i];
    switch (m.type) {
      case 'External': return valueOrAverage(m.external ?? {}, st?.external);
      case 'Pods': return `${st?.pods?.current?.averageValue ?? UNKNOWN}/${m.pods?.target?.averageValue ?? ''}`;
      case 'Object': return valueOrAverage(m.object ?? {}, st?.object);
      case 'Resource': return resourceTarget(m.resource ?? {}, st?.resource, m.resource?.name ?? '');
      case 'ContainerResource': return resourceTarget(m.containerResource ?? {}, st?.containerResource, m.containerResource?.name ?? '');
      default: return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used). If not set, the default metric will be set to 80% average CPU utilization.'),
    col('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.'),
    col('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
    col('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    AGE_COL,
  ],
  cells(hpa, now) {
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      hpa.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHPAMetrics(spec.metrics, hpa.status?.currentMetrics),
      spec.minReplicas !== undefined && spec.minReplicas !== null ? String(spec.minReplicas) : '<unset>', spec.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0, ageSince(hpa.metadata.creationTimestamp, now),
    ];
  },
};

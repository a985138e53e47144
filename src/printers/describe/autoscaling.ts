// describe for HorizontalPodAutoscaler (kubectl describe.go describeHorizontalPodAutoscalerV2):
// reference, each metric's current value against its target, bounds, behavior, the target's
// current and desired replicas and the conditions.

import type { KubeObject } from '../../api/types.ts';
import { DescribeWriter, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import type { DescribeContext } from './index.ts';

type Json = Record<string, any>;
const UNKNOWN = '<unknown>';

function writeMetric(w: DescribeWriter, m: Json, st: Json | undefined): void {
  switch (m.type) {
    case 'External': {
      const t = m.external?.target ?? {};
      if (t.averageValue !== undefined) w.write(1, `"${m.external?.metric?.name}" (target average value):\t${st?.external?.current?.averageValue ?? UNKNOWN} / ${t.averageValue}\n`);
      else w.write(1, `"${m.external?.metric?.name}" (target value):\t${st?.external?.current?.value ?? UNKNOWN} / ${t.value}\n`);
      return;
    }
    case 'Pods':
      w.write(1, `"${m.pods?.metric?.name}" on pods:\t${st?.pods?.current?.averageValue ?? UNKNOWN} / ${m.pods?.target?.averageValue}\n`);
      return;
    case 'Object': {
      const o = m.object ?? {};
      w.write(1, `"${o.metric?.name}" on ${o.describedObject?.kind}/${o.describedObject?.name} `);
      if (o.target?.type === 'AverageValue') w.write(0, `(target average value):\t${st?.object?.current?.averageValue ?? UNKNOWN} / ${o.target.averageValue}\n`);
      else w.write(0, `(target value):\t${st?.object?.current?.value ?? UNKNOWN} / ${o.target?.value}\n`);
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const r = m.type === 'Resource' ? m.resource ?? {} : m.containerResource ?? {};
      const cur = m.type === 'Resource' ? st?.resource : st?.containerResource;
      w.write(1, m.type === 'Resource' ? `resource ${r.name} on pods` : `resource ${r.name} of container "${r.container}" on pods`);
      if (r.target?.averageValue !== undefined) {
        w.write(0, `:\t${cur?.current?.averageValue ?? UNKNOWN} / ${r.target.averageValue}\n`);
        return;
      }
      const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}% (${cur.current.averageValue ?? '0'})` : UNKNOWN;
      const target = r.target?.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
      w.write(1, `(as a percentage of request):\t${current} / ${target}\n`);
      return;
    }
    default:
      w.write(1, `<unknown metric type "${m.type}">\n`);
  }
}

function writeDirection(w: DescribeWriter, title: string, rules: Json | undefined): void {
  if (!rules) return;
  w.write(1, `${title}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(2, 'Policies:\n');
    for (const p of rules.policies) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

export function describeHorizontalPodAutoscaler(hpa: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = hpa.spec ?? {};
  const st = hpa.status ?? {};
  const ref = spec.scaleTargetRef ?? {};
  w.write(0, `Name:\t${hpa.metadata.name}\n`);
  w.write(0, `Namespace:\t${hpa.metadata.namespace}\n`);
  writeLabels(w, 'Labels', hpa.metadata.labels);
  writeAnnotations(w, 'Annotations', hpa.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${ref.kind}/${ref.name}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  (spec.metrics ?? []).forEach((m: Json, i: number) => writeMetric(w, m, st.currentMetrics?.[i]));
  w.write(0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
  if (spec.behavior) {
    w.write(0, 'Behavior:\n');
    writeDirection(w, 'Scale Up', spec.behavior.scaleUp);
    writeDirection(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.write(0, `${ref.kind} pods:\t${st.currentReplicas ?? 0} current / ${st.desiredReplicas ?? 0} desired\n`);
  const conditions: Json[] = st.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}

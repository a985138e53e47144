// Whether a pod may run on a node, as kube-scheduler's filter plugins and the DaemonSet
// controller's nodeShouldRunDaemonPod decide it: the nodeSelector, the required node affinity
// (matchExpressions on labels, matchFields on metadata.name; terms ORed, requirements ANDed) and
// the node's NoSchedule/NoExecute taints, which the pod's tolerations must cover
// (v1helper.TolerationsTolerateTaint), with the not-ready/unreachable taints of a node not Ready.
// Each refusal carries kube-scheduler's reason. Pure.
import { mapMatches } from '../api/labels.ts';
import type { KubeObject } from '../api/types.ts';

interface Taint { key: string; value?: string; effect: string }
interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
interface Requirement { key: string; operator: string; values?: string[] }

export const AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";

/** ToleratesTaint: effect and key match (empty means any), then Exists, or Equal with the same value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.operator === undefined || t.operator === '' || t.operator === 'Equal') && (t.value ?? '') === (taint.value ?? '');
}

/**
 * The node's taints with those kube-controller-manager's node lifecycle controller puts on a node
 * that is not Ready (TaintNodesByCondition and taint-based eviction): node.kubernetes.io/not-ready
 * when Ready is False or missing, node.kubernetes.io/unreachable when it is Unknown, each
 * NoSchedule and NoExecute. mk's lifecycle controller does not write them; they are read here.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status;
  if (ready !== 'True') {
    const key = ready === 'Unknown' ? 'node.kubernetes.io/unreachable' : 'node.kubernetes.io/not-ready';
    for (const effect of ['NoSchedule', 'NoExecute']) if (!taints.some((t) => t.key === key && t.effect === effect)) taints.push({ key, effect });
  }
  return taints;
}

/** The first NoSchedule or NoExecute taint of the node (effectiveTaints) the tolerations do not cover; `only` narrows the effects. */
export function untoleratedTaint(node: KubeObject, tolerations: Toleration[] | undefined, only?: 'NoExecute'): Taint | undefined {
  return effectiveTaints(node).find((taint) => (only ? taint.effect === only : taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !(tolerations ?? []).some((t) => tolerates(t, taint)));
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const has = value !== undefined;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && values.includes(value!);
    case 'NotIn': return !has || !values.includes(value!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && /^-?\d+$/.test(value!) && Number(value) > Number(values[0]);
    case 'Lt': return has && /^-?\d+$/.test(value!) && Number(value) < Number(values[0]);
    default: return false;
  }
}

/** The pod's required node affinity: does some term select the node? (none given: yes) */
export function requiredAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[] = required.nodeSelectorTerms ?? [];
  const labels: Record<string, string> = node.metadata.labels ?? {};
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    return (
      exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) &&
      fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
    );
  });
}

export const affinityMatches = (pod: KubeObject, node: KubeObject): boolean => mapMatches(pod.spec?.nodeSelector, node.metadata.labels) && requiredAffinityMatches(pod, node);

/**
 * Why the pod may not run on the node (kube-scheduler's words), or undefined when it may: the
 * filters in kube-scheduler's order, the first that fails speaking (NodeUnschedulable,
 * TaintToleration — a node not Ready is tainted — then NodeAffinity).
 */
export function unfitReason(pod: KubeObject, node: KubeObject): string | undefined {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) {
    return 'node(s) were unschedulable';
  }
  const taint = untoleratedTaint(node, tolerations);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (!affinityMatches(pod, node)) return AFFINITY_REASON;
  return undefined;
}

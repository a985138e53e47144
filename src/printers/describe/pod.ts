// describe for Pod (kubectl describe.go describePod): header, containers, conditions,
// volumes, QoS, node selectors, tolerations and events.

import type { KubeObject } from '../../api/types.ts';
import { DescribeWriter, controllerOf, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import { writeContainers, writeTolerations, writeVolumes } from './containers.ts';
import type { DescribeContext } from './index.ts';

export function describePod(pod: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  writeLabels(w, 'Labels', pod.metadata.labels);
  writeAnnotations(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp) {
    w.write(0, `Status:\tTerminating (lasts ${humanSince(pod.metadata.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase ?? ''}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips: { ip: string }[] = status.podIPs ?? [];
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const owner = controllerOf(pod);
  if (owner) w.write(0, `Controlled By:\t${owner}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses ?? [], '');
  writeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses ?? [], '');
  const conditions: { type: string; status: string }[] = status.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, spec.volumes, '');
  if (status.qosClass) w.write(0, `QoS Class:\t${status.qosClass}\n`);
  writeLabels(w, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 'Tolerations', spec.tolerations);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

function humanSince(ts: string, now: Date): string {
  const s = Math.max(0, Math.trunc((now.getTime() - Date.parse(ts)) / 1000));
  return s < 60 ? `${s}s` : `${Math.trunc(s / 60)}m${s % 60}s`;
}

// The container and pod-template parts of kubectl describe, shared by Pod, Deployment and
// ReplicaSet: ports, state, probes, resources, environment, mounts, volumes, tolerations.

import { DescribeWriter, rfc1123z, writeLabels } from './writer.ts';

type Obj = Record<string, any>;

function probe(p: Obj): string {
  let kind = 'unknown';
  if (p.exec) kind = `exec [${(p.exec.command ?? []).join(' ')}]`;
  else if (p.httpGet) {
    const h = p.httpGet;
    const scheme = String(h.scheme ?? 'HTTP').toLowerCase();
    kind = `http-get ${scheme}://${h.host ?? ''}:${h.port}${h.path ?? ''}`;
  } else if (p.tcpSocket) kind = `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port}`;
  else if (p.grpc) kind = `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''}`;
  return `${kind} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function ports(c: Obj, host: boolean): string {
  const ps: Obj[] = c.ports ?? [];
  if (ps.length === 0) return '<none>';
  return ps.map((p) => `${host ? p.hostPort ?? 0 : p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
}

function state(w: DescribeWriter, title: string, s: Obj | undefined): void {
  if (s?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (s?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (s.waiting.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
    if (s.waiting.message) w.write(3, `Message:\t${s.waiting.message}\n`);
  } else if (s?.terminated) {
    const t = s.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

function resources(w: DescribeWriter, title: string, list: Obj | undefined): void {
  const keys = Object.keys(list ?? {}).sort();
  if (keys.length === 0) return;
  w.write(2, `${title}:\n`);
  for (const k of keys) w.write(3, `${k}:\t${list![k]}\n`);
}

function env(w: DescribeWriter, c: Obj): void {
  const vars: Obj[] = c.env ?? [];
  if (vars.length === 0) {
    w.write(2, 'Environment:\t<none>\n');
    return;
  }
  w.write(2, 'Environment:\n');
  for (const e of vars) {
    const vf = e.valueFrom;
    if (!vf) w.write(3, `${e.name}:\t${e.value ?? ''}\n`);
    else if (vf.fieldRef) w.write(3, `${e.name}:\t (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath})\n`);
    else if (vf.resourceFieldRef) w.write(3, `${e.name}:\t${vf.resourceFieldRef.resource} (${vf.resourceFieldRef.containerName ?? ''})\n`);
    else if (vf.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>\tOptional: ${vf.secretKeyRef.optional ?? false}\n`);
    else if (vf.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>\tOptional: ${vf.configMapKeyRef.optional ?? false}\n`);
  }
}

function mounts(w: DescribeWriter, c: Obj): void {
  const ms: Obj[] = c.volumeMounts ?? [];
  if (ms.length === 0) {
    w.write(2, 'Mounts:\t<none>\n');
    return;
  }
  w.write(2, 'Mounts:\n');
  for (const m of [...ms].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path="${m.subPath}"`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

/** describeContainers: one block per container; `statuses` only for pods, `space` for templates. */
export function writeContainers(w: DescribeWriter, title: string, containers: Obj[], statuses: Obj[] | undefined, space: string): void {
  w.write(space ? 1 : 0, `${title}:\n`);
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(1, `${space}${c.name}:\n`);
    if (statuses) w.write(2, `Container ID:\t${st?.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (statuses) w.write(2, `Image ID:\t${st?.imageID ?? ''}\n`);
    const n = (c.ports ?? []).length;
    w.write(2, `${n > 1 ? 'Ports' : 'Port'}:\t${ports(c, false)}\n`);
    w.write(2, `${n > 1 ? 'Host Ports' : 'Host Port'}:\t${ports(c, true)}\n`);
    for (const [t, list] of [['Command', c.command], ['Args', c.args]] as [string, string[] | undefined][]) {
      if (!list?.length) continue;
      w.write(2, `${t}:\n`);
      for (const a of list) w.write(3, `${a}\n`);
    }
    if (statuses) {
      state(w, 'State', st?.state);
      const ls = st?.lastState;
      if (ls && (ls.running || ls.waiting || ls.terminated)) state(w, 'Last State', ls);
      w.write(2, `Ready:\t${st?.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st?.restartCount ?? 0}\n`);
    }
    resources(w, 'Limits', c.resources?.limits);
    resources(w, 'Requests', c.resources?.requests);
    if (c.livenessProbe) w.write(2, `Liveness:\t${probe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probe(c.startupProbe)}\n`);
    env(w, c);
    mounts(w, c);
  }
}

/** describeVolumes: `Volumes:\t<none>` or one typed block per volume. */
export function writeVolumes(w: DescribeWriter, volumes: Obj[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(space ? 1 : 0, 'Volumes:\t<none>\n');
    return;
  }
  w.write(space ? 1 : 0, 'Volumes:\n');
  for (const v of volumes) {
    w.write(1, `${space}${v.name}:\n`);
    if (v.emptyDir) {
      w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
      w.write(2, `Medium:\t${v.emptyDir.medium ?? ''}\n`);
      w.write(2, `SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.configMap) {
      w.write(2, 'Type:\tConfigMap (a volume populated by a ConfigMap)\n');
      w.write(2, `Name:\t${v.configMap.name}\n`);
      w.write(2, `Optional:\t${v.configMap.optional ?? false}\n`);
    } else if (v.secret) {
      w.write(2, 'Type:\tSecret (a volume populated by a Secret)\n');
      w.write(2, `SecretName:\t${v.secret.secretName}\n`);
      w.write(2, `Optional:\t${v.secret.optional ?? false}\n`);
    } else if (v.hostPath) {
      w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
      w.write(2, `Path:\t${v.hostPath.path}\n`);
      w.write(2, `HostPathType:\t${v.hostPath.type ?? ''}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(2, 'Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n');
      w.write(2, `ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
      w.write(2, `ReadOnly:\t${v.persistentVolumeClaim.readOnly ?? false}\n`);
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
      w.write(2, 'Items:\n');
      for (const it of v.downwardAPI.items ?? []) {
        if (it.fieldRef) w.write(3, `${it.fieldRef.fieldPath} -> ${it.path}\n`);
        if (it.resourceFieldRef) w.write(3, `${it.resourceFieldRef.resource} -> ${it.path}\n`);
      }
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
        else if (s.configMap) {
          w.write(2, `ConfigMapName:\t${s.configMap.name}\n`);
          w.write(2, `Optional:\t${s.configMap.optional ?? false}\n`);
        } else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      }
    } else {
      w.write(2, `<unknown>\n`);
    }
  }
}

/** printTolerationsMultiline: `key=value:Effect op=Exists for 300s`. */
export function writeTolerations(w: DescribeWriter, title: string, tolerations: Obj[] | undefined, space = ''): void {
  w.write(0, `${space}${title}:\t`);
  if (!tolerations?.length) {
    w.write(0, '<none>\n');
    return;
  }
  tolerations.forEach((t, i) => {
    if (i > 0) w.write(0, `${space}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

/** DescribePodTemplate (Deployment, ReplicaSet): labels, annotations, containers, volumes. */
export function writePodTemplate(w: DescribeWriter, template: Obj | undefined): void {
  w.write(0, 'Pod Template:\n');
  const meta = template?.metadata ?? {};
  const spec = template?.spec ?? {};
  writeLabels(w, 'Labels', meta.labels, 1);
  if (Object.keys(meta.annotations ?? {}).length) {
    const keys = Object.keys(meta.annotations).sort();
    keys.forEach((k, i) => w.write(i === 0 ? 1 : 1, `${i === 0 ? 'Annotations:' : ''}\t${k}: ${meta.annotations[k]}\n`));
  }
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, undefined, ' ');
  writeContainers(w, 'Containers', spec.containers ?? [], undefined, ' ');
  writeVolumes(w, spec.volumes, ' ');
  const sel = spec.nodeSelector;
  w.write(1, 'Node-Selectors:\t');
  const keys = Object.keys(sel ?? {}).sort();
  if (keys.length === 0) w.write(0, '<none>\n');
  else keys.forEach((k, i) => w.write(i === 0 ? 0 : 1, `${i === 0 ? '' : '\t'}${k}=${sel[k]}\n`));
  writeTolerations(w, 'Tolerations', spec.tolerations, '  ');
}

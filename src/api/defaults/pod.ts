// Kubernetes' defaulting of core/v1 PodSpec (pkg/apis/core/v1/defaults.go): what a pod,
// and every pod template inside a Deployment or ReplicaSet, looks like once stored.
import { VOLUME_SOURCES } from '../volumes.ts';

type Obj = Record<string, any>;

const DEFAULT_MODE = 0o644; // 420

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `Always` when the image has no tag or the tag is `latest` (and no digest), else `IfNotPresent`. */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    h.httpGet.path ??= '/';
    h.httpGet.scheme ??= 'HTTP';
  }
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultContainer(c: unknown, hostNetwork: boolean): void {
  if (!isObj(c)) return;
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (isObj(c.resources) && isObj(c.resources.limits)) {
    // Requests default to limits when only limits are given.
    c.resources.requests = { ...c.resources.limits, ...(isObj(c.resources.requests) ? c.resources.requests : {}) };
  }
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (!isObj(p)) continue;
      p.protocol ??= 'TCP';
      if (hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
    }
  }
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

function defaultItems(items: unknown): void {
  if (!Array.isArray(items)) return;
  for (const it of items) if (isObj(it) && isObj(it.fieldRef)) it.fieldRef.apiVersion ??= 'v1';
}

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[s])) v[s].defaultMode ??= DEFAULT_MODE;
  }
  if (isObj(v.downwardAPI)) defaultItems(v.downwardAPI.items);
  if (isObj(v.projected) && Array.isArray(v.projected.sources)) {
    for (const src of v.projected.sources) {
      if (!isObj(src)) continue;
      if (isObj(src.downwardAPI)) defaultItems(src.downwardAPI.items);
      if (isObj(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
  if (isObj(v.image)) v.image.pullPolicy ??= defaultPullPolicy(v.image.reference);
}

/** Mutates a PodSpec in place. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  // v1's deprecated serviceAccount mirrors serviceAccountName (and stands in for it when alone)
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    if (Array.isArray(spec[list])) for (const c of spec[list]) defaultContainer(c, hostNetwork && list !== 'ephemeralContainers');
  }
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) defaultVolume(v);
}

/** Mutates a PodTemplateSpec (Deployment/ReplicaSet spec.template) in place. */
export function defaultPodTemplate(template: unknown): void {
  if (!isObj(template)) return;
  defaultPodSpec(template.spec);
}

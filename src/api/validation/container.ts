// Validation of core/v1 containers inside a PodSpec: names, images, ports, env, volume mounts,
// probes and policies (pkg/apis/core/validation validateContainers and friends).
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import { notFound } from './go.ts';
import { isObj, nonNegative } from './meta.ts';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.ts';
import { validatePortNumOrName, validateProtocol } from './service.ts';
import { localDescendingPath } from './volumes.ts';

type Obj = Record<string, any>;

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateHandler(h: Obj, path: string, handlers: string[]): StatusCause[] {
  const out: StatusCause[] = [];
  const set = handlers.filter((k) => h[k] !== undefined && h[k] !== null);
  if (set.length === 0) out.push(cause.required(path, 'must specify a handler type'));
  for (const extra of set.slice(1)) out.push(cause.forbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  if (isObj(h.exec) && !(Array.isArray(h.exec.command) && h.exec.command.length > 0)) out.push(cause.required(`${path}.exec.command`));
  if (isObj(h.httpGet)) {
    const g = h.httpGet;
    if (!g.path) out.push(cause.required(`${path}.httpGet.path`));
    out.push(...validatePortNumOrName(g.port, `${path}.httpGet.port`));
    if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') out.push(cause.notSupported(`${path}.httpGet.scheme`, g.scheme ?? '', ['HTTP', 'HTTPS']));
  }
  if (isObj(h.tcpSocket)) out.push(...validatePortNumOrName(h.tcpSocket.port, `${path}.tcpSocket.port`));
  if (isObj(h.grpc)) out.push(...isValidPortNum(h.grpc.port ?? 0).map((m) => cause.invalid(`${path}.grpc.port`, h.grpc.port ?? 0, m)));
  if (isObj(h.sleep) && typeof h.sleep.seconds === 'number' && h.sleep.seconds < 0) {
    out.push(cause.invalid(`${path}.sleep.seconds`, h.sleep.seconds, NEG_SLEEP));
  }
  return out;
}
const NEG_SLEEP = 'must be non-negative';

function validateProbe(p: unknown, path: string, mustSucceedOnce: boolean): StatusCause[] {
  if (!isObj(p)) return [];
  const out = validateHandler(p, path, HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) out.push(...nonNegative(`${path}.${f}`, p[f]));
  if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0) {
    out.push(cause.invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (mustSucceedOnce && typeof p.successThreshold === 'number' && p.successThreshold !== 1) {
    out.push(cause.invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  return out;
}

function validatePorts(ports: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(ports)) return out;
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const pp = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) out.push(...msgs.map((m) => cause.invalid(`${pp}.name`, p.name, m)));
      else if (names.has(p.name)) out.push(cause.duplicate(`${pp}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) out.push(cause.required(`${pp}.containerPort`));
    else out.push(...isValidPortNum(p.containerPort).map((m) => cause.invalid(`${pp}.containerPort`, p.containerPort, m)));
    if (p.hostPort) out.push(...isValidPortNum(p.hostPort).map((m) => cause.invalid(`${pp}.hostPort`, p.hostPort, m)));
    out.push(...validateProtocol(p.protocol, `${pp}.protocol`));
  });
  return out;
}

function validateEnv(env: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(env)) return out;
  env.forEach((e, i) => {
    if (!isObj(e)) return;
    const ep = `${path}[${i}]`;
    if (!e.name) out.push(cause.required(`${ep}.name`));
    if (isObj(e.valueFrom)) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => isObj(e.valueFrom[k]));
      if (e.value) out.push(cause.invalid(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0) out.push(cause.invalid(`${ep}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) out.push(cause.invalid(`${ep}.valueFrom`, '', 'may not have more than one field specified at a time'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        const r = e.valueFrom[ref];
        if (isObj(r) && !r.key) out.push(cause.required(`${ep}.valueFrom.${ref}.key`));
      }
      if (isObj(e.valueFrom.fieldRef) && !e.valueFrom.fieldRef.fieldPath) out.push(cause.required(`${ep}.valueFrom.fieldRef.fieldPath`));
    }
  });
  return out;
}

function validateMounts(mounts: unknown, path: string, volumes: Set<string>): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(mounts)) return out;
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    if (!isObj(m)) return;
    const mp = `${path}[${i}]`;
    if (!m.name) out.push(cause.required(`${mp}.name`));
    else if (!volumes.has(m.name)) out.push(notFound(`${mp}.name`, m.name));
    if (!m.mountPath) out.push(cause.required(`${mp}.mountPath`));
    else if (paths.has(m.mountPath)) out.push(cause.invalid(`${mp}.mountPath`, m.mountPath, 'must be unique'));
    else paths.add(m.mountPath);
    if (m.subPath) out.push(...localDescendingPath(m.subPath, `${mp}.subPath`));
    if (m.subPathExpr) {
      if (m.subPath) out.push(cause.invalid(`${mp}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      out.push(...localDescendingPath(m.subPathExpr, `${mp}.subPathExpr`));
    }
  });
  return out;
}

export interface ContainerCheck {
  /** Pods (not templates) may not have whitespace around the image: " " is a placeholder some tools put in templates. */
  pod: boolean;
  volumes: Set<string>;
  names: Set<string>;
  /** Liveness/startup probes are not allowed on init containers. */
  init: boolean;
}

export function validateContainers(list: unknown, path: string, check: ContainerCheck): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    if (!isObj(c)) return;
    const cp = `${path}[${i}]`;
    if (!c.name) out.push(cause.required(`${cp}.name`));
    else {
      out.push(...isDNS1123Label(c.name).map((m) => cause.invalid(`${cp}.name`, c.name, m)));
      if (check.names.has(c.name)) out.push(cause.duplicate(`${cp}.name`, c.name));
      else check.names.add(c.name);
    }
    if (!c.image) out.push(cause.required(`${cp}.image`));
    else if (check.pod && c.image !== c.image.trim()) out.push(cause.invalid(`${cp}.image`, c.image, 'must not have leading or trailing whitespace'));
    out.push(...validatePorts(c.ports, `${cp}.ports`));
    out.push(...validateEnv(c.env, `${cp}.env`));
    out.push(...validateMounts(c.volumeMounts, `${cp}.volumeMounts`, check.volumes));
    const sidecar = check.init && c.restartPolicy === 'Always';
    if (check.init && !sidecar) {
      for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[p] !== undefined && c[p] !== null) out.push(cause.forbidden(`${cp}.${p}`, `may not be set for init containers without restartPolicy=Always`));
      }
    } else {
      out.push(...validateProbe(c.livenessProbe, `${cp}.livenessProbe`, true));
      out.push(...validateProbe(c.readinessProbe, `${cp}.readinessProbe`, false));
      out.push(...validateProbe(c.startupProbe, `${cp}.startupProbe`, true));
    }
    if (isObj(c.lifecycle)) {
      if (isObj(c.lifecycle.postStart)) out.push(...validateHandler(c.lifecycle.postStart, `${cp}.lifecycle.postStart`, [...HANDLERS.slice(0, 3), 'sleep']));
      if (isObj(c.lifecycle.preStop)) out.push(...validateHandler(c.lifecycle.preStop, `${cp}.lifecycle.preStop`, [...HANDLERS.slice(0, 3), 'sleep']));
    }
    if (!c.imagePullPolicy) out.push(cause.required(`${cp}.imagePullPolicy`));
    else if (!PULL_POLICIES.includes(c.imagePullPolicy)) out.push(cause.notSupported(`${cp}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    if (!c.terminationMessagePolicy) out.push(cause.required(`${cp}.terminationMessagePolicy`));
    else if (!MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
      out.push(cause.notSupported(`${cp}.terminationMessagePolicy`, c.terminationMessagePolicy, MESSAGE_POLICIES));
    }
  });
  return out;
}

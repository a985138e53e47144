// Readiness, liveness and startup probes: parsing with Kubernetes' defaults, the kind of check
// (exec through the runtime, httpGet and tcpSocket from this process to the pod IP), and the
// per-container state machine (initial delay, period, success/failure thresholds). The clock
// is the caller's: `due(now)` / `record(now, ok)` take milliseconds.
import http from 'node:http';
import net from 'node:net';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

export type ProbeAction =
  | { type: 'exec'; command: string[] }
  | { type: 'httpGet'; host?: string; port: number | string; path: string; scheme: string; headers: Array<{ name: string; value: string }> }
  | { type: 'tcpSocket'; host?: string; port: number | string };

export interface Probe {
  action: ProbeAction;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

export function parseProbe(p: any): Probe | undefined {
  if (!p || typeof p !== 'object') return undefined;
  let action: ProbeAction;
  if (p.exec) action = { type: 'exec', command: p.exec.command ?? [] };
  else if (p.httpGet) action = { type: 'httpGet', host: p.httpGet.host || undefined, port: p.httpGet.port, path: p.httpGet.path || '/', scheme: p.httpGet.scheme || 'HTTP', headers: p.httpGet.httpHeaders ?? [] };
  else if (p.tcpSocket) action = { type: 'tcpSocket', host: p.tcpSocket.host || undefined, port: p.tcpSocket.port };
  else return undefined;
  const n = (v: unknown, d: number, min: number) => (typeof v === 'number' && v >= min ? v : d);
  return {
    action,
    initialDelaySeconds: n(p.initialDelaySeconds, 0, 0),
    periodSeconds: n(p.periodSeconds, 10, 1),
    timeoutSeconds: n(p.timeoutSeconds, 1, 1),
    successThreshold: n(p.successThreshold, 1, 1),
    failureThreshold: n(p.failureThreshold, 3, 1),
  };
}

/** A named port resolved against the container's ports. */
export function resolvePort(port: number | string, container: { ports?: Array<{ name?: string; containerPort: number }> }): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = container.ports?.find((x) => x.name === port);
  if (!p) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
  return p.containerPort;
}

/** What running one check needs. */
export interface ProbeTarget {
  podIP: string;
  container: { ports?: Array<{ name?: string; containerPort: number }> };
  exec(command: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
}

export interface ProbeResult { ok: boolean; message: string }

export async function runProbe(p: Probe, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = p.timeoutSeconds * 1000;
  const a = p.action;
  try {
    if (a.type === 'exec') {
      const r = await t.exec(a.command, timeoutMs);
      return r.exitCode === 0 ? { ok: true, message: r.output } : { ok: false, message: r.output.trim() || `command ${JSON.stringify(a.command.join(' '))} exited with ${r.exitCode}` };
    }
    const port = resolvePort(a.port, t.container);
    const host = a.host ?? t.podIP;
    if (a.type === 'tcpSocket') return await tcpCheck(host, port, timeoutMs);
    return await httpCheck(host, port, a.path, a.headers, timeoutMs);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => { s.destroy(); resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }); }, timeoutMs);
    s.once('connect', () => { clearTimeout(t); s.destroy(); resolve({ ok: true, message: '' }); });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      resolve({ ok: false, message: `dial tcp ${host}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}` });
    });
  });
}

function httpCheck(host: string, port: number, path: string, headers: Array<{ name: string; value: string }>, timeoutMs: number): Promise<ProbeResult> {
  const url = `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  return new Promise((resolve) => {
    const h: Record<string, string> = { 'user-agent': 'kube-probe/1.33', accept: '*/*' };
    for (const x of headers) h[x.name] = x.value;
    const req = http.get(url, { headers: h, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => { req.destroy(); resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }); });
    req.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}` });
    });
  });
}

/** One probe of one container instance: when it is due and what its result is. Readiness starts
 * failed, liveness and startup start passing/undecided as Kubernetes' result managers do. */
export class ProbeState {
  readonly kind: ProbeKind;
  readonly probe: Probe;
  private readonly startedAt: number;
  private nextAt: number;
  private successes = 0;
  private failures = 0;
  running = false;
  /** readiness: ready; liveness: alive; startup: started */
  result: boolean;

  constructor(kind: ProbeKind, probe: Probe, startedAt: number) {
    this.kind = kind;
    this.probe = probe;
    this.startedAt = startedAt;
    this.nextAt = startedAt + probe.initialDelaySeconds * 1000;
    this.result = kind === 'liveness';
  }

  due(now: number): boolean {
    return !this.running && now >= this.nextAt;
  }

  /** Ms until the next check is due (0 when due). */
  wait(now: number): number {
    return Math.max(0, this.nextAt - now);
  }

  /** Applies one check's outcome; returns true when the result flipped. */
  record(now: number, ok: boolean): boolean {
    this.nextAt = now + this.probe.periodSeconds * 1000;
    const before = this.result;
    if (ok) { this.successes++; this.failures = 0; } else { this.failures++; this.successes = 0; }
    const needed = this.kind === 'readiness' ? this.probe.successThreshold : 1;
    if (ok && this.successes >= needed) this.result = true;
    if (!ok && this.failures >= this.probe.failureThreshold) this.result = false;
    return before !== this.result;
  }

  /** failureThreshold consecutive failures: for a startup probe, the container is killed */
  get gaveUp(): boolean {
    return this.failures >= this.probe.failureThreshold;
  }

  get since(): number {
    return this.startedAt;
  }
}

/** `Readiness probe failed: …` as the Unhealthy event says it. */
export function unhealthyMessage(kind: ProbeKind, message: string): string {
  const k = kind[0]!.toUpperCase() + kind.slice(1);
  return `${k} probe failed: ${message}`;
}

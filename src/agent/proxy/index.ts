// The node's proxy: informers on Services and Endpoints feed the ProxyTable, whose listener
// needs open and close TCP and UDP sockets of the data planes; a small HTTP server (like
// kube-proxy's metrics port, 127.0.0.1:10249 in the node) answers GET /rules with what is
// served, for `mk proxy rules`. LoadBalancer Services with externalTrafficPolicy Local also get
// kube-proxy's health check server on their healthCheckNodePort (health.ts). In iptables mode
// (mode.ts) the table is also written to the kernel as kube-proxy's rules. Everything is rebuilt
// from the API on start.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { R } from '../../api/resources.ts';
import { Informer, type ListWatchClient } from '../../client/informer.ts';
import type { KubeObject } from '../../api/types.ts';
import { Picker } from './picker.ts';
import { rulesOf, type RulesSnapshot } from './rules.ts';
import { ProxyTable, type ListenSpec } from './table.ts';
import { HealthPlane } from './health.ts';
import { startMode, type ModeState, type ProxyMode } from './mode.ts';
import type { Netfilter } from './iptables/netfilter.ts';
import { TcpPlane } from './tcp.ts';
import { UdpPlane } from './udp.ts';

export { holdServiceRange, ServiceRouteError } from './route.ts';
export { type RulesSnapshot, type RuleRow, type HealthCheckRow, type CounterRow } from './rules.ts';
export { PROXY_MODES, type ProxyMode } from './mode.ts';
export { ProxyTable } from './table.ts';
export { HealthPlane, healthResponse } from './health.ts';

export const RULES_PORT = 10249;

export interface ProxyOptions {
  nodeName: string;
  /** iptables: kube-proxy's rules in the kernel, the in-process planes underneath; userspace (the
   * default here, so tests never touch the machine's tables): the planes alone */
  mode?: ProxyMode;
  /** this node's pod range (kernel rules: pod traffic to external destinations short-circuits) */
  podCIDR?: string;
  /** the netfilter tools (tests) */
  netfilter?: Netfilter;
  /** Service IPs served by something else in this process (the cluster DNS): left alone */
  skipIPs?: string[];
  /** TCP ports bound per Service IP rather than on 0.0.0.0 (ports other servers on the node use) */
  perAddressTcpPorts?: number[];
  /** where /rules is served (default 127.0.0.1:10249; port 0 = any) */
  rulesHost?: string;
  rulesPort?: number;
  /** where healthCheckNodePorts are served (default 0.0.0.0) */
  healthCheckHost?: string;
  now?: () => number;
  udpIdleMs?: number;
  connectTimeoutMs?: number;
  log?: (line: string) => void;
  onError?: (e: unknown) => void;
}

export interface RunningProxy {
  table: ProxyTable;
  /** the mode chosen (and why not iptables, when asked for) */
  mode: ModeState;
  /** resolves when both informers have listed once and the sockets asked for are bound (or failed) */
  ready: Promise<void>;
  /** the /rules server's port */
  rulesPort(): number;
  snapshot(): RulesSnapshot;
  /** resolves once every listener asked for so far is bound or failed, and every rule is written */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** A proxy fed by hand (tests, benches): no informers, no rules server. */
export function createProxy(o: ProxyOptions): { table: ProxyTable; picker: Picker; tcp: TcpPlane; udp: UdpPlane; health: HealthPlane; snapshot(): RulesSnapshot; settled(): Promise<void>; stop(): Promise<void> } {
  const picker = new Picker({ nodeName: o.nodeName, now: o.now });
  let table: ProxyTable;
  const lookup = (p: 'TCP' | 'UDP' | 'SCTP', ip: string, port: number) => table.lookup(p, ip, port);
  const tcp = new TcpPlane({ lookup, picker, connectTimeoutMs: o.connectTimeoutMs, log: o.log });
  const udp = new UdpPlane({ lookup, picker, idleMs: o.udpIdleMs, now: o.now, log: o.log });
  const plane = (l: ListenSpec) => (l.protocol === 'TCP' ? tcp : udp);
  // kube-proxy counts a Service's local ready endpoints by IP, over all its ports
  const localEndpoints = (service: string) => new Set(table.entriesOf(service).flatMap((e) => e.endpoints.filter((b) => b.nodeName === o.nodeName).map((b) => b.ip))).size;
  const health = new HealthPlane({ localEndpoints, host: o.healthCheckHost, log: o.log });
  table = new ProxyTable({
    skipIPs: o.skipIPs,
    perAddressTcpPorts: o.perAddressTcpPorts,
    sink: { open: (l) => plane(l).open(l), close: (l) => plane(l).close(l) },
    health: { open: (port, service) => health.open(port, service), close: (port) => health.close(port) },
  });
  table.onRemove = (id) => picker.forget(id);
  const sweeper = setInterval(() => {
    const timeouts = new Map(table.list().map((e) => [e.id, e.affinityTimeoutSeconds]));
    picker.sweep((id) => timeouts.get(id));
  }, 60_000);
  sweeper.unref();
  return {
    table,
    picker,
    tcp,
    udp,
    health,
    snapshot: () => ({
      node: o.nodeName,
      services: table.size,
      rules: rulesOf(table, picker),
      listeners: [
        ...tcp.status().map((s) => ({ address: `${s.host}:${s.port}/TCP`, ...(s.error ? { error: s.error } : {}) })),
        ...udp.status().map((s) => ({ address: `${s.host}:${s.port}/UDP`, ...(s.error ? { error: s.error } : {}) })),
      ],
      connections: { active: tcp.activeConnections, accepted: tcp.accepted, rejected: tcp.rejected },
      healthChecks: health.status().map((h) => ({ service: h.service, port: h.port, localEndpoints: h.localEndpoints, ...(h.error ? { error: h.error } : {}) })),
    }),
    settled: async () => {
      await tcp.settled();
      await udp.settled();
      await health.settled();
    },
    stop: async () => {
      clearInterval(sweeper);
      await tcp.stop();
      await udp.stop();
      await health.stop();
    },
  };
}

/** Starts the proxy against the API: informers, sockets, the /rules server. */
export async function startProxy(client: ListWatchClient, o: ProxyOptions): Promise<RunningProxy> {
  const p = createProxy(o);
  const onError = o.onError ?? ((e: unknown) => o.log?.(`proxy: ${e instanceof Error ? e.message : String(e)}`));
  const services = new Informer(client, R.services, { onError });
  const endpoints = new Informer(client, R.endpoints, { onError });
  endpoints.addHandlers({
    onAdd: (ep: KubeObject) => p.table.setEndpoints(ep),
    onUpdate: (ep: KubeObject) => p.table.setEndpoints(ep),
    onDelete: (ep: KubeObject) => p.table.deleteEndpoints(ep),
  });
  services.addHandlers({
    onAdd: (s: KubeObject) => p.table.setService(s),
    onUpdate: (s: KubeObject) => p.table.setService(s),
    onDelete: (s: KubeObject) => p.table.deleteService(s),
  });
  endpoints.start();
  services.start();

  let serveRules: () => Promise<RulesSnapshot> = async () => p.snapshot();
  const rules = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/rules' || req.url?.startsWith('/rules?'))) {
      void serveRules().then((snap) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(snap) + '\n');
      });
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    rules.once('error', reject);
    rules.listen({ host: o.rulesHost ?? '127.0.0.1', port: o.rulesPort ?? RULES_PORT }, () => {
      rules.off('error', reject);
      resolve();
    });
  });
  const state: ModeState = { mode: 'userspace' };
  const ready = (async () => {
    await Promise.all([services.waitForSync(), endpoints.waitForSync()]);
    Object.assign(state, await startMode({ mode: o.mode ?? 'userspace', table: p.table, nodeName: o.nodeName, podCIDR: o.podCIDR, netfilter: o.netfilter, log: o.log }));
    await p.settled();
    await state.sync?.ready;
  })();
  const snapshot = (): RulesSnapshot => ({
    ...p.snapshot(),
    mode: state.mode,
    ...(state.reason ? { modeReason: state.reason } : {}),
    ...(state.sync?.lastError ? { kernelError: state.sync.lastError } : {}),
  });
  const full = async (): Promise<RulesSnapshot> => {
    const s = snapshot();
    if (!state.sync) return s;
    try {
      return { ...s, counters: await state.sync.counts() };
    } catch (e) {
      return { ...s, kernelError: e instanceof Error ? e.message : String(e) };
    }
  };
  serveRules = full;
  return {
    table: p.table,
    mode: state,
    ready,
    rulesPort: () => (rules.address() as AddressInfo).port,
    snapshot,
    settled: async () => {
      await p.settled();
      await state.sync?.settled();
    },
    stop: async () => {
      await Promise.all([services.stop(), endpoints.stop()]);
      const closed = new Promise<void>((r) => rules.close(() => r()));
      rules.closeAllConnections();
      await closed;
      await state.stop?.();
      await p.stop();
    },
  };
}

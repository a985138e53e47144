// Requests the e2e tests make against a real cluster: HTTP gets from the host, which refuse any
// address off the cluster's own bridge (or, under `mk tunnel`, its service range); bounded
// request loops run inside a busybox pod or a node with one exec each; and the objects a user
// reads back (`mk get -o json`, the Endpoints' ready and not-ready addresses, the node IPs).
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import type { Flow } from './cluster.ts';
import { ok } from './poll.ts';

/** The service range that `mk tunnel` routes to the control plane. */
export { SERVICE_CIDR } from '../../../src/api/network.ts';
import { SERVICE_CIDR } from '../../../src/api/network.ts';

const ipv4 = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base ?? '')) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base!) / size);
}

/** The IPv4 subnets of the Docker networks labelled with the flow's profile. */
export function bridgeSubnets(f: Flow): string[] {
  const nets = f.labelled('network');
  if (nets.length === 0) return [];
  return execFileSync('docker', ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', ...nets], { encoding: 'utf8' })
    .split(/\s+/).filter((s) => s.includes('.'));
}

/** GET from the host; the body (any status). Throws before dialling unless the address is on the
 * cluster's own bridge, or in its service range when `viaTunnel` (a running `mk tunnel` routes it). */
export function hostGet(f: Flow, url: string, o: { viaTunnel?: boolean } = {}): Promise<string> {
  const host = new URL(url).hostname;
  const allowed = [...bridgeSubnets(f), ...(o.viaTunnel ? [SERVICE_CIDR] : [])];
  if (!allowed.some((c) => inCidr(host, c))) return Promise.reject(new Error(`refusing to dial ${host} from the host: not on the bridge of ${f.profile} (${allowed.join(', ')})`));
  return httpBody(url, 5000);
}

/** GET `url`; the body (any status); gives up after `timeoutMs` without an answer. The caller
 * vouches for the address (hostGet checks it for a cluster). */
export function httpBody(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject).on('timeout', function (this: http.ClientRequest) { this.destroy(new Error('timeout')); });
  });
}

/** The `Hostname:` line of the echo image's page. */
export const hostnameOf = (body: string) => /^Hostname: (\S+)$/m.exec(body)?.[1];

/** A shell loop of `n` wget requests to `url`, one line each: `<i> ok <hostname>` or `<i> fail <error>`,
 * `sleepUs` between requests, then `done`. (busybox wget: no -T, it segfaults with it.) */
export function loopScript(url: string, n: number, sleepUs = 0): string {
  return `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); ` +
    `if h=$(wget -qO- ${url} 2>&1); then echo "$i ok \${h##*Hostname: }"; else echo "$i fail" $h; fi; ` +
    `${sleepUs ? `usleep ${sleepUs}; ` : ''}done; echo done`;
}

export interface LoopLine { i: number; ok: boolean; host: string }

export function parseLoop(out: string): LoopLine[] {
  return out.split('\n').map((l) => /^(\d+) (ok|fail) ?(.*)$/.exec(l.trim())).filter((m) => m !== null)
    .map((m) => ({ i: Number(m[1]), ok: m[2] === 'ok', host: m[3]! }));
}

/** `n` requests from inside pod `pod` (one `mk exec`); the hostnames in order. Every one must succeed. */
export async function fromPod(f: Flow, pod: string, url: string, n: number): Promise<string[]> {
  const r = await f.mk('exec', pod, '--', 'sh', '-c', loopScript(url, n));
  ok(r, `requests from ${pod}`);
  return answered(r.stdout, n);
}

/** `n` requests from inside node `node` (one `mk ssh`); the hostnames in order. */
export async function fromNode(f: Flow, node: string, url: string, n: number): Promise<string[]> {
  const r = await f.mk('ssh', '-p', f.profile, '-n', node, '--', 'sh', '-c', loopScript(url, n));
  ok(r, `requests from node ${node}`);
  return answered(r.stdout, n);
}

function answered(out: string, n: number): string[] {
  const lines = parseLoop(out);
  assert.equal(lines.length, n, out);
  assert.deepEqual(lines.filter((l) => !l.ok), [], out);
  return lines.map((l) => l.host);
}

export const uniq = (xs: string[]) => [...new Set(xs)].sort();

/** Kube-proxy spreads connections at random (mk's in-process proxy in turn): how many requests
 * make sure every one of a few replicas answered (3 replicas: a miss in 1 of ~60,000 runs). */
export const EVERY_REPLICA = 30;

/** Asks `one()` (a request; it returns the hostname that answered) until every replica of `want`
 * answered or `max` requests were made; the hostnames seen, sorted. */
export async function everyReplica(want: string[], one: () => Promise<string>, max = EVERY_REPLICA): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < max && !want.every((w) => seen.has(w)); i++) seen.add(await one());
  return [...seen].sort();
}

/** `mk get ARGS -o json`, parsed; the command must succeed. */
export async function json(f: Flow, ...args: string[]): Promise<any> {
  const r = await f.mk('get', ...args, '-o', 'json');
  ok(r, `mk get ${args.join(' ')}`);
  return JSON.parse(r.stdout);
}

/** The Endpoints object's ready and not-ready addresses as `ip:port` and the pod names behind them. */
export async function endpoints(f: Flow, name: string): Promise<{ ready: string[]; notReady: string[]; readyPods: string[]; notReadyPods: string[] }> {
  const r = await f.mk('get', 'endpoints', name, '-o', 'json');
  if (r.exitCode !== 0) return { ready: [], notReady: [], readyPods: [], notReadyPods: [] };
  const ep = JSON.parse(r.stdout);
  const pick = (key: 'addresses' | 'notReadyAddresses') => {
    const out: string[] = [];
    const pods: string[] = [];
    for (const s of ep.subsets ?? []) {
      for (const a of s[key] ?? []) {
        if (a.targetRef?.name) pods.push(a.targetRef.name);
        for (const p of s.ports ?? []) out.push(`${a.ip}:${p.port}`);
      }
    }
    return { out: out.sort(), pods: uniq(pods) };
  };
  const a = pick('addresses');
  const n = pick('notReadyAddresses');
  return { ready: a.out, notReady: n.out, readyPods: a.pods, notReadyPods: n.pods };
}

/** The node names and IPs of the flow's 2-node cluster (`mk ip -n`). */
export async function nodeIPs(f: Flow): Promise<Array<{ node: string; ip: string }>> {
  const out: Array<{ node: string; ip: string }> = [];
  for (const node of [f.profile, `${f.profile}-m02`]) {
    const r = await f.mk('ip', '-p', f.profile, '-n', node);
    ok(r, `mk ip -n ${node}`);
    out.push({ node, ip: r.stdout.trim() });
  }
  return out;
}

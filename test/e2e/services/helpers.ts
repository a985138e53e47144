// What the Service tutorials' checks share: requests from the host (only to the cluster's own
// bridge), bounded request loops run inside a busybox pod or a node with one exec each, the
// Endpoints a user reads (ready and not-ready addresses), and table masking so mk's text and
// real kubectl's compare. The cluster itself comes from ../flows/cluster.ts (startFlow).
import http from 'node:http';
import assert from 'node:assert/strict';
import { ok, type Flow } from '../flows/cluster.ts';

export { KUBECTL_127 } from '../flows/cluster.ts';

/** GET from the host; the body (any status). Only call with node IPs on the cluster's bridge. */
export function hostGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject).on('timeout', function (this: http.ClientRequest) { this.destroy(new Error('timeout')); });
  });
}

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

/** AGE cells at the end of a line become `<age>` (AGE is the last column in every table we compare). */
export function maskAge(table: string): string {
  return table.replace(/(?<=\s)\d+[smhdy](\d+[smhd])?$/gm, '<age>');
}

/** A table or describe text with runs of blanks made one space: for comparing with a seed's text. */
export const squash = (t: string) => t.split('\n').map((l) => l.replace(/\s+/g, ' ').trimEnd()).join('\n');

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

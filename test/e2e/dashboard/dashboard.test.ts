// `mk dashboard` on a real 2-node cluster with the ingress addon, seen through real headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core): `mk dashboard --url` prints a
// URL that answers; the page shows both nodes, the web Deployment's 2 pods, its Service's 2
// arrows and the Ingress in front (seed 002's hosts and paths, an arrow per rule, its address once
// the controller gives one); after `kubectl scale --replicas=3` a third arrow appears and the
// timeline says so; after requests through the ClusterIP from a pod, every endpoint's connection
// and packet counts rise (in the kernel mode; in the userspace mode the page says why there are
// no per-endpoint counters); with ClientIP affinity one arrow is the thickest (seed 001's
// imbalance); clicking the Service shows its YAML and events (a screenshot is saved to
// test-artifacts/dashboard.png). Then what changes: a pod failing its readiness probe (seed 002's
// `cat /tmp/ready`) turns its arrow dashed, and with none ready the Service says so; a deleted
// Service and Deployment leave the map and enter the timeline; the namespaces filter; a reload;
// `mk dashboard` stopped and started again on its port (the page reconnects by itself);
// `mk stop` (the page and `mk dashboard` say so) and `mk start` (the page follows again).
// Skipped, saying why, where Chromium is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../harness.ts';
import { busyboxPod, echoDeployment, freePort, fromPod, ok, poll, PROXY_MODE, startFlow, uniq, type Child, type Flow } from '../flows/cluster.ts';
import { httpBody } from '../flows/requests.ts';
import { ingress, ready, service } from './manifests.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Debian's chromium is not installed at ${CHROMIUM} (apt-get install chromium; scripts/ensure-docker.sh installs it)`;
const SCREENSHOT = join(ROOT, 'test-artifacts', 'dashboard.png');

let f: Flow;
let dashboard: Child;
let url = '';
let browser: Browser;
let page: Page;

/** What the page draws for the web Service: its arrows' endpoints, readiness and connection counts. */
async function webArrows(): Promise<Array<{ endpoint: string; ready: string; connections?: number; packets?: number }>> {
  return page.locator('[data-arrow^="svc:default/web>"]').evaluateAll((els) => els.map((e) => {
    const d = (e as HTMLElement).dataset;
    return {
      endpoint: d.endpoint!, ready: d.ready!,
      ...(d.connections !== undefined ? { connections: Number(d.connections) } : {}),
      ...(d.packets !== undefined ? { packets: Number(d.packets) } : {}),
    };
  }));
}

before(async () => {
  if (skip) return;
  f = await startFlow('dashboard');
  ok(await f.mk('addons', 'enable', 'ingress', '-p', f.profile), 'addons enable ingress');
  ok(await f.kubectl('kubectl', 'apply', '-f', f.file('web.yaml', [echoDeployment('web', { replicas: 2 }), service, ready, ingress, busyboxPod('client')].join('---\n'))), 'apply web');
  await poll('web and ready pods and the client Running and ready', async () => {
    const r = await f.kubectl('kubectl', 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready}{"\\n"}{end}');
    const lines = r.stdout.trim().split('\n');
    return lines.length === 5 && lines.every((l) => l.endsWith(' true')) ? true : undefined;
  }, { ms: 120_000 });
  dashboard = f.spawn('mk', ['dashboard', '-p', f.profile, '--url']);
  url = await poll('mk dashboard --url to print its URL', async () => /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(dashboard.stdout())?.[1], { ms: 30_000, last: () => dashboard.output() });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  await dashboard?.stop('SIGINT');
  await f?.teardown();
}, { timeout: 180_000 });

test('mk dashboard --url prints only a URL on 127.0.0.1, and it answers', { skip }, async () => {
  assert.match(dashboard.stdout(), /^http:\/\/127\.0\.0\.1:\d+\/\n$/);
  assert.match(await httpBody(url, 5000), /<title>mk dashboard<\/title>/);
});

test('the page shows the nodes, the Deployment\'s pods, its Service\'s arrows and the Ingress in front', { skip }, async () => {
  await page.goto(url);
  await page.waitForSelector(`[data-node="${f.profile}-m02"]`, { timeout: 15_000 });
  assert.deepEqual(await page.locator('[data-node]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.node)), [f.profile, `${f.profile}-m02`]);
  await page.waitForFunction(() => document.querySelectorAll('[data-arrow^="svc:default/web>"]').length === 2, undefined, { timeout: 15_000 });
  const pods = await page.locator('[data-pod^="default/web-"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.ready));
  assert.deepEqual(pods, ['true', 'true']);
  const arrows = await webArrows();
  assert.deepEqual(arrows.map((a) => a.ready), ['true', 'true']);
  const ips = (await f.kubectl('kubectl', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}')).stdout.split(' ').sort();
  assert.deepEqual(arrows.map((a) => a.endpoint).sort(), ips);
});

test('the Ingress shows each host/path rule with an arrow to its Service, and its address once assigned', { skip }, async () => {
  const rules = await page.locator('[data-ingress="default/web"] text.rule').allTextContents();
  assert.deepEqual(rules, ['web.local/ → web:80', 'web.local/ready → ready:80', 'ready.local/ → ready:80']);
  const to = await page.locator('[data-arrow^="ing:default/web#"]').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.arrow} ${(e as HTMLElement).dataset.service}`));
  assert.deepEqual(to, ['ing:default/web#0 default/web', 'ing:default/web#1 default/ready', 'ing:default/web#2 default/ready']);
  const address = await poll('the ingress controller to give the Ingress an address', async () => (await f.kubectl('kubectl', 'get', 'ingress', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}')).stdout.trim() || undefined, { ms: 30_000 });
  await page.locator('[data-ingress="default/web"] text.sub').getByText(address).waitFor({ timeout: 5000 });
});

test('after kubectl scale --replicas=3 a third arrow appears, and the timeline says so', { skip }, async () => {
  ok(await f.kubectl('kubectl', 'scale', 'deployment', 'web', '--replicas=3'), 'kubectl scale');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-arrow^="svc:default/web>"]')].filter((e) => (e as HTMLElement).dataset.ready === 'true').length === 3, undefined, { timeout: 60_000 });
  await page.getByText('Deployment default/web scaled from 2 to 3').waitFor({ timeout: 5000 });
});

test('after requests through the ClusterIP from a pod, every endpoint\'s connections and packets rise', { skip }, async () => {
  const ip = (await f.kubectl('kubectl', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  if (PROXY_MODE === 'userspace') {
    await fromPod(f, 'client', `http://${ip}/`, 3);
    await page.getByText(/userspace mode.*no per-endpoint counters/).first().waitFor({ timeout: 10_000 });
    return;
  }
  await page.waitForFunction(() => [...document.querySelectorAll('[data-arrow^="svc:default/web>"]')].every((e) => (e as HTMLElement).dataset.connections !== undefined), undefined, { timeout: 15_000 });
  const before = new Map((await webArrows()).map((a) => [a.endpoint, a]));
  assert.equal(before.size, 3);
  // 30 requests over 3 endpoints at random: each is missed in 1 of ~60,000 runs
  const hosts = await fromPod(f, 'client', `http://${ip}/`, 30);
  assert.equal(hosts.length, 30);
  let last: Awaited<ReturnType<typeof webArrows>> = [];
  const rise = (now: typeof last, k: 'connections' | 'packets') => now.reduce((n, a) => n + (a[k] ?? 0) - (before.get(a.endpoint)![k] ?? 0), 0);
  // the page samples the counters every second, so a sample may hold part of the 30 at first:
  // wait for every endpoint to rise and for the sums to hold them all (a request is a TCP
  // connection: a handshake, the request and its answer, the closing, so 5 packets at least)
  await poll('every endpoint\'s connections and packets to rise, by 30 connections and 150 packets in all', async () => {
    const now = await webArrows();
    last = now;
    const each = now.every((a) => (a.connections ?? 0) > before.get(a.endpoint)!.connections! && (a.packets ?? 0) > (before.get(a.endpoint)!.packets ?? 0));
    return each && rise(now, 'connections') >= 30 && rise(now, 'packets') >= 5 * 30 ? now : undefined;
  }, { ms: 15_000, last: () => JSON.stringify({ before: [...before.values()], last, connections: rise(last, 'connections'), packets: rise(last, 'packets') }) });
});

test('seed 001\'s imbalance: with ClientIP affinity every request goes to one endpoint, whose arrow is the thickest', { skip: skip || (PROXY_MODE === 'userspace' && 'the userspace mode has no per-endpoint counters') }, async () => {
  ok(await f.kubectl('kubectl', 'patch', 'service', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}'), 'kubectl patch sessionAffinity');
  const before = new Map((await webArrows()).map((a) => [a.endpoint, a]));
  const ip = (await f.kubectl('kubectl', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  const hosts = uniq(await fromPod(f, 'client', `http://${ip}/`, 30));
  assert.equal(hosts.length, 1, `ClientIP affinity: one pod answered, not ${hosts.join(', ')}`);
  const chosen = (await f.kubectl('kubectl', 'get', 'pod', hosts[0]!, '-o', 'jsonpath={.status.podIP}')).stdout;
  // (the patch rewrites the endpoint chains, whose connection counters restart: a reset the page
  // may read only after some of the 30 were counted; the packets, counted apart, are exact)
  let last: unknown;
  await poll('the chosen endpoint\'s 30 requests on the page', async () => {
    const now = (last = await webArrows()).find((a) => a.endpoint === chosen)!;
    const was = before.get(chosen)!;
    return now.connections! > was.connections! && now.packets! >= was.packets! + 5 * 30 || undefined;
  }, { ms: 15_000, last: () => JSON.stringify({ chosen, before: [...before.values()], last }) });
  const widths = Object.fromEntries(await page.locator('[data-arrow^="svc:default/web>"]').evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.endpoint!, Number(e.querySelector('path')!.getAttribute('stroke-width'))])));
  for (const [endpoint, w] of Object.entries(widths)) if (endpoint !== chosen) assert.ok(widths[chosen]! > w, `the chosen endpoint's arrow (${widths[chosen]}) is thicker than ${endpoint}'s (${w})`);
});

test('clicking the Service shows its YAML and events; a screenshot is saved', { skip }, async () => {
  await page.locator('[data-service-box="default/web"] rect').click();
  await page.locator('.details .yaml').getByText('kind: Service').waitFor({ timeout: 10_000 });
  assert.match(await page.locator('.details h2').innerText(), /^Service default\/web$/);
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  assert.ok(existsSync(SCREENSHOT));
});

const readyPods = async () => (await f.kubectl('kubectl', 'get', 'pods', '-l', 'app=ready', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}')).stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]);

test('a pod failing its readiness probe: its arrow turns dashed and the timeline says so; with none ready, the Service says so', { skip }, async () => {
  const pods = await readyPods();
  assert.equal(pods.length, 2);
  const arrow = (ip: string) => page.locator(`[data-arrow="svc:default/ready>${ip}"]`);
  for (const [, ip] of pods) assert.equal(await arrow(ip).getAttribute('data-ready'), 'true');
  const [name, ip] = pods[0]!;
  ok(await f.kubectl('kubectl', 'exec', name, '--', 'rm', '/tmp/ready'), 'rm /tmp/ready');
  await page.locator(`[data-arrow="svc:default/ready>${ip}"][data-ready="false"]`).waitFor({ timeout: 15_000 });
  assert.notEqual(await arrow(ip).locator('path').evaluate((e) => getComputedStyle(e).strokeDasharray), 'none');
  assert.equal(await arrow(pods[1]![1]).getAttribute('data-ready'), 'true');
  await page.locator('.timeline').getByText(`Service default/ready: endpoint ${ip} (${name}) not ready`).waitFor({ timeout: 5000 });
  ok(await f.kubectl('kubectl', 'exec', pods[1]![0], '--', 'rm', '/tmp/ready'), 'rm /tmp/ready');
  await page.locator('.timeline').getByText('Service default/ready has no ready endpoints').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('[data-service-box="default/ready"]').textContent() ?? '', /0\/2 endpoints ready/);
  assert.equal(await page.locator('[data-service-box="default/ready"]').getAttribute('class'), 'service empty');
});

test('a Service and a Deployment deleted: gone from the map, in the timeline, and the details pane says so', { skip }, async () => {
  await page.locator('[data-service-box="default/ready"] rect').click();
  await page.locator('.details .yaml').getByText('kind: Service').waitFor({ timeout: 10_000 });
  ok(await f.kubectl('kubectl', 'delete', 'service', 'ready'), 'delete service');
  await page.locator('.timeline').getByText('Service default/ready deleted').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-service-box="default/ready"]').count(), 0);
  assert.equal(await page.locator('[data-arrow^="ing:default/web#"]').count(), 1, 'the Ingress rules to the deleted Service draw no arrow');
  assert.deepEqual(await page.locator('[data-ingress="default/web"] text.rule[data-missing="true"]').allTextContents(), ['web.local/ready → ready:80', 'ready.local/ → ready:80']);
  await page.locator('.details .error').getByText('Service default/ready is not there (any more)').waitFor({ timeout: 5000 });
  assert.equal(await page.locator('.details h3').last().innerText(), 'YAML, AS LAST SEEN'); // (the headings are upper-cased by CSS)
  ok(await f.kubectl('kubectl', 'delete', 'deployment', 'ready', '--wait=false'), 'delete deployment');
  await page.locator('.timeline').getByText('Deployment default/ready deleted').waitFor({ timeout: 10_000 });
});

test('the namespaces filter: one namespace, all, or all but kube-*', { skip }, async () => {
  const select = page.locator('.filter select');
  const shown = async () => ({
    pods: await page.locator('[data-pod]').evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.pod!.split('/')[0]))].sort()),
    services: await page.locator('[data-service-box]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.serviceBox!).sort()),
  });
  await select.selectOption('ns:ingress-nginx');
  assert.deepEqual(await shown(), { pods: ['ingress-nginx'], services: [] });
  await select.selectOption('all');
  assert.ok((await shown()).pods.includes('kube-system'), 'all namespaces: the kube-system pods are shown');
  await select.selectOption('user');
  const user = await shown();
  assert.ok(!user.pods.includes('kube-system') && user.pods.includes('default'), JSON.stringify(user));
  assert.ok(user.services.includes('default/web'));
});

test('a reload of the page gets the whole picture and the timeline so far again', { skip }, async () => {
  const entries = await page.locator('[data-timeline-entry]').count();
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-arrow^="svc:default/web>"]').length === 3, undefined, { timeout: 15_000 });
  assert.equal(await page.getByTestId('connection').innerText(), 'live');
  assert.ok(await page.locator('[data-timeline-entry]').count() >= entries);
  await page.locator('.timeline').getByText('Deployment default/web scaled from 2 to 3').waitFor({ timeout: 5000 });
});

test('the page reconnects by itself when mk dashboard comes back on the same port (SSE)', { skip }, async () => {
  const port = String(await freePort());
  const serve = async () => {
    const d = f.spawn('mk', ['dashboard', '-p', f.profile, '--url', '--port', port]);
    await poll(`mk dashboard --port ${port} to print its URL`, async () => d.stdout().includes(`:${port}/`) || undefined, { ms: 30_000, last: () => d.output() });
    return d;
  };
  const first = await serve();
  const p = await browser.newPage({ viewport: { width: 1400, height: 760 } });
  try {
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.waitForSelector('[data-service-box="default/web"]', { timeout: 15_000 });
    await first.stop('SIGINT');
    await p.getByTestId('connection').getByText('reconnecting to mk dashboard…').waitFor({ timeout: 10_000 });
    assert.equal(await p.locator('section.map').getAttribute('class'), 'map stale');
    const second = await serve();
    await p.getByTestId('connection').getByText('live').waitFor({ timeout: 15_000 });
    await p.waitForSelector('[data-service-box="default/web"]', { timeout: 15_000 });
    assert.equal(await p.locator('section.map').getAttribute('class'), 'map');
    await second.stop('SIGINT');
  } finally {
    await p.close();
  }
});

test('after mk stop, the page says the API server does not answer and mk dashboard says the cluster is not running; after mk start the page follows again', { skip }, async () => {
  ok(await f.mk('stop', '-p', f.profile), 'mk stop');
  await page.locator('.pill.bad').getByText(/^API server: /).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('section.map').getAttribute('class'), 'map stale', 'the map is greyed: it is as it last was');
  const again = await f.mk('dashboard', '-p', f.profile, '--url');
  assert.notEqual(again.exitCode, 0);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, new RegExp(`the "${f.profile}" cluster is not running`));
  ok(await f.mk('start', '-p', f.profile), 'mk start');
  await page.locator('.pill.bad').getByText(/^API server: /).waitFor({ state: 'detached', timeout: 30_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-arrow^="svc:default/web>"]')].filter((e) => (e as HTMLElement).dataset.ready === 'true').length === 3, undefined, { timeout: 60_000 });
  assert.equal(await page.locator('section.map').getAttribute('class'), 'map');
});

// `mk dashboard`'s words: minikube's `🎉  Opening URL in your default browser...` (`* ` without a
// terminal), the URL alone with --url, a tip when no browser can be opened, a clear error when
// the API server does not answer; which command opens a browser where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { bufferOutput } from '../lib/output.ts';
import { FakeClient, webCluster } from '../dashboard/objects.test-helper.ts';
import { browserCommand, runDashboard } from './dashboard.ts';

const URL_RE = /http:\/\/127\.0\.0\.1:\d+\//;
/** A cluster whose API is `client` (and whose nodes count nothing). */
const clusterOf = (client: FakeClient) => ({ profile: 'dev', client: async () => client, proxyRulesOfEveryNode: async () => [] });

const answers = (url: string) => new Promise<number>((resolve, reject) => {
  http.get(url, { agent: false }, (res) => {
    res.resume();
    resolve(res.statusCode!);
  }).on('error', reject);
});

const cases: Array<{ name: string; url?: boolean; tty?: boolean; opens: boolean; stdout: string; stderr: string; opened: boolean }> = [
  { name: 'a terminal and a browser', tty: true, opens: true, stdout: '🎉  Opening URL in your default browser...\n', stderr: '', opened: true },
  { name: 'no terminal', opens: true, stdout: '* Opening URL in your default browser...\n', stderr: '', opened: true },
  { name: 'no browser here', opens: false, stdout: '* Opening URL in your default browser...\n', stderr: '* No browser to open here (no $BROWSER, or no display for xdg-open): open URL in yours. Ctrl-C stops the dashboard.\n', opened: true },
  { name: '--url: the URL alone, no browser', url: true, opens: true, stdout: 'URL\n', stderr: '', opened: false },
];

for (const c of cases) {
  test(`dashboard: ${c.name}`, async () => {
    const out = Object.assign(bufferOutput(), { tty: c.tty ?? false, errTty: c.tty ?? false });
    const stop = new AbortController();
    let opened: string | undefined;
    const running = runDashboard(clusterOf(new FakeClient(Object.values(webCluster(1)).flat())), { url: c.url }, out, stop.signal, (u) => {
      opened = u;
      return c.opens;
    });
    while (!out.stdout.includes('\n')) await new Promise((r) => setTimeout(r, 5));
    const url = URL_RE.exec(out.stdout)![0];
    assert.equal(await answers(url), 200, 'the URL answers while the dashboard runs');
    stop.abort();
    assert.equal(await running, url);
    assert.equal(out.stdout.replaceAll(url, 'URL'), c.stdout);
    assert.equal(out.stderr.replaceAll(url, 'URL'), c.stderr);
    assert.equal(opened, c.opened ? url : undefined);
    await assert.rejects(answers(url), /ECONNREFUSED/, 'closed after Ctrl-C');
  });
}

test('dashboard: an API server that does not answer is an error saying how to start the cluster', async () => {
  const client = new FakeClient();
  client.fail('connect ECONNREFUSED 127.0.0.1:8443');
  const out = bufferOutput();
  await assert.rejects(runDashboard(clusterOf(client), {}, out), {
    message: 'the cluster\'s API server does not answer: connect ECONNREFUSED 127.0.0.1:8443',
    hint: '"mk status -p dev" says how the cluster is; "mk start -p dev" starts it.',
  });
  assert.equal(out.stdout, '');
});

test('dashboard: the command that opens a browser, where there is one', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, NodeJS.Platform, string[] | undefined]> = [
    ['$BROWSER first', { BROWSER: 'firefox', DISPLAY: ':0' }, 'linux', ['firefox']],
    ['macOS', {}, 'darwin', ['open']],
    ['Windows', {}, 'win32', ['cmd', '/c', 'start', '""']],
    ['Linux without a display', { PATH: '/usr/bin:/bin' }, 'linux', undefined],
    ['Linux with a display but no xdg-open', { DISPLAY: ':0', PATH: '/nonexistent' }, 'linux', undefined],
  ];
  for (const [name, env, platform, want] of cases) assert.deepEqual(browserCommand(env, platform), want, name);
});

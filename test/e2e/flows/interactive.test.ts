// "Debug Services"' first command on a real 1-node cluster, typed in a terminal (tmux): `kubectl
// run -it --rm --restart=Never busybox --image=… -- sh` gives a shell prompt, answers a typed
// command, and deletes the pod when the shell exits — with kubectl 1.33 (WebSocket) and 1.27
// (SPDY), and with `mk run`. `kubectl attach -it` reaches a running shell, follows a terminal
// resize, and says how to come back; the container's exit code becomes kubectl's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { ROOT } from '../harness.ts';
import { TEST_IMAGES } from '../../images/index.ts';
import { KUBECTL_127, ensureHostTools, ok, poll, startFlow, type Flow } from './cluster.ts';

let f: Flow;
const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const sock = `mk-interactive-${process.pid}`;

before(async () => {
  ensureHostTools();
  // one tmux server for the file, kept up between sessions: a session started while the server
  // of the last one is exiting fails with "server exited unexpectedly"
  execFileSync('tmux', ['-L', sock, 'new-session', '-d', '-s', 'keepalive', 'sleep 86400']);
  f = await startFlow('interactive', { nodes: 1 });
}, { timeout: 180_000 });
after(async () => {
  spawnSync('tmux', ['-L', sock, 'kill-server']);
  await f?.teardown();
}, { timeout: 180_000 });

/** A tmux session running `cmd` (then its exit code, then a pause so the screen stays readable). */
function terminal(name: string, cmd: string, size = { x: 120, y: 30 }) {
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const envs = Object.entries(f.env).map(([k, v]) => `${k}=${v}`).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', String(size.x), '-y', String(size.y), `cd ${ROOT} && env ${envs} ${cmd}; echo "EXIT=$?"; sleep 120`);
  const screen = () => tmux('capture-pane', '-p', '-t', name);
  return {
    screen,
    type: (text: string) => tmux('send-keys', '-t', name, text, 'Enter'),
    resize: (x: number, y: number) => tmux('resize-window', '-t', name, '-x', String(x), '-y', String(y)),
    /** waits until the screen matches, then returns it */
    until: (what: string, re: RegExp, ms = 30_000) => poll(what, async () => (re.test(screen()) ? screen() : undefined), { ms, last: screen }),
    close: () => spawnSync('tmux', ['-L', sock, 'kill-session', '-t', name]),
  };
}

const podGone = (name: string) => poll(`pod ${name} to be gone`, async () => {
  const r = await f.kubectl('kubectl', 'get', 'pod', name, '--ignore-not-found', '-o', 'name');
  return r.exitCode === 0 && r.stdout === '' ? true : undefined;
});

const runners: [string, (name: string) => string][] = [
  ['kubectl 1.33 (WebSocket)', (name) => `${KUBECTL_133} --cache-dir=${f.home}/kc133 run -it --rm --restart=Never ${name} --image=${TEST_IMAGES.busybox} -- sh`],
  ['kubectl 1.27 (SPDY)', (name) => `${KUBECTL_127} --cache-dir=${f.home}/kc127 run -it --rm --restart=Never ${name} --image=${TEST_IMAGES.busybox} -- sh`],
  ['mk run', (name) => `${process.execPath} bin/mk.js run -it --rm --restart=Never ${name} --image=${TEST_IMAGES.busybox} -- sh`],
];

for (const [who, command] of runners) {
  test(`${who}: run -it --rm gives a shell that answers, and the pod is deleted when it exits`, async () => {
    const name = `busybox-${who.split(' ')[0]}-${who.includes('1.27') ? 27 : 33}`.replace(/[^a-z0-9-]/g, '');
    const t = terminal(name, command(name));
    try {
      await t.until('the prompt hint and a shell prompt', /If you don't see a command prompt, try pressing enter\.\n(.*\n)*\/ # ?$/m);
      t.type('echo typed-$((6*7)); stty size');
      await t.until('the typed command\'s output', /^typed-42\r?\n30 120$/m);
      t.type('exit');
      const screen = await t.until('the command to end', /^EXIT=\d+$/m);
      assert.match(screen, new RegExp(`^pod "${name}" deleted\\n(.*\\n)*EXIT=0$`, 'm'));
      await podGone(name);
    } finally {
      t.close();
    }
  });
}

test('kubectl attach -it to a running shell: a resize reaches it, the session end is explained, and kubectl run ends with the container\'s exit code', async () => {
  ok(await f.kubectl('kubectl', 'run', 'shell', `--image=${TEST_IMAGES.busybox}`, '-i', '-t', '--attach=false', '--', 'sh'), 'kubectl run shell');
  await poll('shell to be Running', async () => ((await f.kubectl('kubectl', 'get', 'pod', 'shell', '-o', 'jsonpath={.status.phase}')).stdout === 'Running' ? true : undefined));
  const t = terminal('attach', `${KUBECTL_133} --cache-dir=${f.home}/kc133 attach -it shell`);
  try {
    await t.until('a prompt', /\/ # ?$/m);
    // kubectl watches SIGWINCH from a goroutine it starts with the stream: a resize in the first
    // instants can land before it listens, and a user would resize again; so do we, up to 5 times
    for (let i = 0; ; i++) {
      if (i > 0) t.resize(99, 24);
      t.resize(100, 25);
      t.type('stty size');
      const seen = await t.until('the new size', /^25 100$/m, 3000).then(() => true, (e: Error) => (i === 4 ? Promise.reject(e) : false));
      if (seen) break;
    }
    t.type('exit 0');
    await t.until('the session end', /^Session ended, resume using 'kubectl attach shell -c shell -i -t' command when the pod is running\n(.*\n)*EXIT=0$/m);
  } finally {
    t.close();
  }
  const failing = terminal('failing', `${KUBECTL_133} --cache-dir=${f.home}/kc133 run -it --rm --restart=Never failing --image=${TEST_IMAGES.busybox} -- sh`);
  try {
    await failing.until('a prompt', /\/ # ?$/m);
    failing.type('exit 3');
    assert.match(await failing.until('kubectl to end', /^EXIT=\d+$/m), /^pod "failing" deleted\npod default\/failing terminated \(Error\)\n(.*\n)*EXIT=3$/m);
  } finally {
    failing.close();
  }
});

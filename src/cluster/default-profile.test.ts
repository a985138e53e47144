// Which cluster a command acts on without -p, and `mk profile [NAME]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MK_PROVIDER, readConfig, saveClusterAccess } from '../kubeconfig/index.ts';
import { bufferOutput } from '../lib/output.ts';
import { runProfile } from '../cli/profile.ts';
import { defaultProfile, resolveProfile, saveDefaultProfile, savedProfile } from './default-profile.ts';
import { saveProfile, type Profile } from './profile.ts';

const profile = (name: string, port: number): Profile => ({
  name, subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '',
  ports: { apiserver: port, http: port + 1, https: port + 2 }, nodes: [{ name, ip: '10.244.0.2', role: 'control-plane', podCIDR: '10.244.1.0/24' }],
});
const mark = { provider: MK_PROVIDER, version: '0.1.0' } as const;

interface Setup {
  /** profile files: name -> recorded API server port */
  profiles?: Record<string, number>;
  /** kubeconfig contexts, in order; the last one is current unless `current` says */
  contexts?: Array<{ name: string; port: number; marked?: boolean }>;
  current?: string;
  saved?: string;
  kubeconfigText?: string;
}

function home(t: { after(f: () => void): void }, s: Setup) {
  const dir = mkdtempSync(join(tmpdir(), 'mk-default-profile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { HOME: dir };
  const kubeconfig = join(dir, 'kube', 'config');
  for (const [n, port] of Object.entries(s.profiles ?? {})) saveProfile(profile(n, port), env);
  for (const c of s.contexts ?? []) {
    saveClusterAccess({ profile: c.name, server: `https://127.0.0.1:${c.port}`, caPem: 'PEM', token: 'T', extension: c.marked ? mark : undefined }, { path: kubeconfig });
  }
  if (s.current !== undefined) writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace(/current-context: .*/, `current-context: ${s.current}`));
  if (s.kubeconfigText !== undefined) { mkdirSync(join(dir, 'kube'), { recursive: true }); writeFileSync(kubeconfig, s.kubeconfigText); }
  if (s.saved) saveDefaultProfile(s.saved, env);
  return { env, kubeconfig };
}

test('the profile a command acts on without -p', async (t) => {
  const cases: Array<{ name: string; s: Setup; want: string }> = [
    { name: 'nothing at all: mk', s: {}, want: 'mk' },
    { name: 'after mk start -p foo: foo (its context carries mk\'s extension)', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 40001, marked: true }] }, want: 'foo' },
    { name: 'a context written before the extension: the recorded port tells', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 40001 }] }, want: 'foo' },
    { name: 'a stale context of an mk cluster (port changed) still counts', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 1, marked: true }] }, want: 'foo' },
    { name: 'a context named like a profile but pointing elsewhere is not mk\'s', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 6443 }] }, want: 'mk' },
    { name: 'an mk-marked context without a profile (deleted cluster)', s: { contexts: [{ name: 'gone', port: 40001, marked: true }] }, want: 'mk' },
    { name: 'kubectl switched to another mk cluster: that one', s: { profiles: { foo: 40001, bar: 40004 }, contexts: [{ name: 'foo', port: 40001, marked: true }, { name: 'bar', port: 40004, marked: true }], saved: 'foo' }, want: 'bar' },
    { name: 'the current context is not mk\'s: what mk profile set', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 40001, marked: true }, { name: 'prod', port: 443 }], saved: 'foo' }, want: 'foo' },
    { name: 'the current context is not mk\'s, nothing set: mk', s: { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 40001, marked: true }, { name: 'prod', port: 443 }] }, want: 'mk' },
    { name: 'an unreadable kubeconfig does not stop the choice', s: { kubeconfigText: 'clusters: [', saved: 'foo' }, want: 'foo' },
  ];
  for (const c of cases) {
    await t.test(c.name, (tt) => {
      const o = home(tt, c.s);
      assert.equal(defaultProfile(o), c.want);
      assert.equal(resolveProfile('given', o), 'given');
    });
  }
});

test('mk profile [NAME]', async (t) => {
  await t.test('no name: the profile in use', async (tt) => {
    const o = home(tt, { profiles: { foo: 40001 }, contexts: [{ name: 'foo', port: 40001, marked: true }] });
    const io = bufferOutput();
    await runProfile(undefined, { env: o.env, kubeconfig: o.kubeconfig }, io);
    assert.equal(io.stdout, 'foo\n');
  });
  await t.test('a profile: recorded, and its context made current', async (tt) => {
    const o = home(tt, { profiles: { foo: 40001, bar: 40004 }, contexts: [{ name: 'foo', port: 40001, marked: true }, { name: 'bar', port: 40004, marked: true }] });
    const io = bufferOutput();
    await runProfile('foo', { env: o.env, kubeconfig: o.kubeconfig }, io);
    assert.deepEqual([io.stdout, io.stderr], ['* mk profile was successfully set to foo\n', '']);
    assert.equal(readConfig(o.kubeconfig)['current-context'], 'foo');
    assert.equal(savedProfile(o.env), 'foo');
    assert.equal(defaultProfile(o), 'foo');
  });
  await t.test('a profile without a context: recorded, and says how to write the context', async (tt) => {
    const o = home(tt, { profiles: { foo: 40001 } });
    const io = bufferOutput();
    await runProfile('foo', { env: o.env, kubeconfig: o.kubeconfig }, io);
    assert.equal(io.stdout, '* mk profile was successfully set to foo\n');
    assert.equal(io.stderr, `* Error while setting kubectl current context :  no context "foo" in ${o.kubeconfig}; "mk update-context -p foo" writes it\n`);
    assert.equal(defaultProfile(o), 'foo');
  });
  await t.test('no such profile: a tip, nothing recorded', async (tt) => {
    const o = home(tt, {});
    const io = bufferOutput();
    await runProfile('nope', { env: o.env, kubeconfig: o.kubeconfig }, io);
    assert.deepEqual([io.stdout, io.stderr], ['', '* if you want to create a profile you can by this command: mk start -p nope\n']);
    assert.equal(savedProfile(o.env), undefined);
  });
  await t.test('default is mk; a bad name is refused', async (tt) => {
    const o = home(tt, { profiles: { mk: 40001 } });
    const io = bufferOutput();
    await runProfile('default', { env: o.env, kubeconfig: o.kubeconfig }, io);
    assert.equal(io.stdout, '* mk profile was successfully set to mk\n');
    await assert.rejects(runProfile('Bad_Name', { env: o.env, kubeconfig: o.kubeconfig }, io), /invalid profile name "Bad_Name"/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, defaultNamespaces, describeDoc, collectFiles } from './manifests.ts';
import { formatError } from './errors.ts';

function withDir(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mk-man-'));
  try {
    for (const [n, t] of Object.entries(files)) {
      mkdirSync(join(dir, n, '..'), { recursive: true });
      writeFileSync(join(dir, n), t);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('loads the multi-document fixture in order', () => {
  const docs = loadManifests(['test/fixtures/hello-world.yaml']);
  assert.deepEqual(
    docs.map((d) => `${d.document} ${d.r.kind} ${d.obj.metadata.name}`),
    ['1 Deployment hello-world', '2 Service hello-world', '3 Ingress hello-world'],
  );
  assert.equal(describeDoc(docs[1]!), 'test/fixtures/hello-world.yaml (document 2, Service "hello-world")');
});

test('manifest errors, as the user sees them', async (t) => {
  const cases: { name: string; text: string; want: string }[] = [
    {
      name: 'bad YAML names the line',
      text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kubia\n spec: x\n',
      want: 'error: error parsing F: error converting YAML to JSON: yaml: line 5: All mapping items must start at the same column',
    },
    {
      name: 'unknown apiVersion names the versions that exist',
      text: 'apiVersion: vl\nkind: Service\nmetadata:\n  name: kubia\n',
      want: 'error: resource mapping not found for name: "kubia" namespace: "" from "F": no matches for kind "Service" in version "vl"\nensure CRDs are installed first\nService exists in version v1',
    },
    {
      name: 'unknown kind',
      text: 'apiVersion: v1\nkind: Servise\nmetadata:\n  name: kubia\n',
      want: 'error: resource mapping not found for name: "kubia" namespace: "" from "F": no matches for kind "Servise" in version "v1"',
    },
    {
      name: 'kind missing',
      text: 'apiVersion: v1\nmetadata:\n  name: kubia\n',
      want: 'error: error validating "F": error validating data: [kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () =>
      withDir({ 'm.yaml': c.text }, (dir) => {
        const f = join(dir, 'm.yaml');
        let msg = '';
        try {
          loadManifests([f]);
        } catch (e) {
          msg = formatError(e).replaceAll(f, 'F');
        }
        assert.ok(msg.startsWith(c.want), `got: ${msg}`);
      }),
    );
  }
});

test('JSON, List kinds, empty documents and directories', () => {
  withDir(
    {
      'a.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1' } }] }),
      'b.yaml': '---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n',
      'notes.txt': 'ignored',
      'sub/c.yml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n',
    },
    (dir) => {
      const flat = loadManifests([dir]);
      assert.deepEqual(flat.map((d) => `${d.source.slice(dir.length + 1)}#${d.document} ${d.obj.kind}/${d.obj.metadata.name}`), ['a.json#1 ConfigMap/c1', 'a.json#1 Namespace/n1', 'b.yaml#2 Service/s']);
      assert.equal(loadManifests([dir], { recursive: true }).length, 4);
      assert.equal(loadManifests(['-'], { readStdin: () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' })[0]!.source, 'STDIN');
      defaultNamespaces(flat, 'dev', false);
      assert.deepEqual(flat.map((d) => d.obj.metadata.namespace), ['dev', undefined, 'dev']);
    },
  );
  assert.throws(() => collectFiles(['/nonexistent/x.yaml']), /the path "\/nonexistent\/x.yaml" does not exist/);
});

test('namespace in the file must match an explicit -n', () => {
  const docs = loadManifests(['-'], { readStdin: () => 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\n' });
  assert.throws(() => defaultNamespaces(docs, 'b', true), /the namespace from the provided object "a" does not match the namespace "b". You must pass '--namespace=a' to perform this operation./);
  defaultNamespaces(docs, 'b', false);
  assert.equal(docs[0]!.obj.metadata.namespace, 'a');
});

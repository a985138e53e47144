import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteTarget } from './delete.ts';

test('mk delete: objects or clusters', async (t) => {
  const cases: { name: string; args: string[]; f?: Parameters<typeof deleteTarget>[1]; want?: ReturnType<typeof deleteTarget>; error?: RegExp }[] = [
    { name: 'no arguments: the default cluster', args: [], want: { kind: 'cluster', profile: undefined } },
    { name: '-p names the cluster', args: [], f: { profile: 'dev' }, want: { kind: 'cluster', profile: 'dev' } },
    { name: '--all without resources: every cluster', args: [], f: { all: true }, want: { kind: 'all-clusters' } },
    { name: 'TYPE NAME: objects', args: ['svc', 'kubia'], want: { kind: 'objects' } },
    { name: 'TYPE --all: objects', args: ['pods'], f: { all: true }, want: { kind: 'objects' } },
    { name: '-f: objects', args: [], f: { filename: ['x.yaml'] }, want: { kind: 'objects' } },
    { name: '-p with resources', args: ['svc', 'a'], f: { profile: 'dev' }, error: /-p\/--profile deletes a cluster/ },
    { name: 'a selector alone', args: [], f: { selector: 'app=x' }, error: /You must provide one or more resources/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error) assert.throws(() => deleteTarget(c.args, c.f ?? {}), c.error);
      else assert.deepEqual(deleteTarget(c.args, c.f ?? {}), c.want);
    });
  }
});

// A node's pod volume folder: its own under the shared state volume, named as the engine sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Runtime } from '../runtime/types.ts';
import { podsDirOf } from './pods-dir.ts';

test('in a node container: the volume\'s data directory on the engine; elsewhere: the same path', async () => {
  const inNode = { inspectContainer: async () => ({ mounts: [{ type: 'bind', source: '/run/docker.sock', target: '/var/run/docker.sock' }, { type: 'volume', source: '/var/lib/docker/volumes/mk/_data', target: '/var/lib/mk' }] }) } as unknown as Runtime;
  assert.deepEqual(await podsDirOf(inNode, 'mk-m02', '/var/lib/mk'), { local: '/var/lib/mk/pods/mk-m02', engine: '/var/lib/docker/volumes/mk/_data/pods/mk-m02' });
  const onHost = { inspectContainer: async () => { throw new Error('no such container'); } } as unknown as Runtime;
  assert.deepEqual(await podsDirOf(onHost, 'n1', '/tmp/state'), { local: '/tmp/state/pods/n1', engine: '/tmp/state/pods/n1' });
});

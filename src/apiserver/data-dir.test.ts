// Files that hold Secrets are readable by their owner only: the modes after a start of the
// in-process API server (and after one that found an older, more open data dir), including the
// store's -wal/-shm files SQLite makes after the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../api/resources.ts';
import { KubeClient } from '../client/index.ts';
import { startApiServer } from './index.ts';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const SECRETS = R.secrets;

/** the mode of the data dir and of every file in it that matters */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': mode(dir) };
  for (const f of ['store.db', 'store.db-wal', 'store.db-shm', 'ca.key', 'apiserver.key', 'token', 'ca.crt', 'sa.key', 'sa.pub']) {
    if (existsSync(join(dir, f))) out[f] = mode(join(dir, f));
  }
  return out;
}

async function withSecret(dir: string, name: string): Promise<void> {
  const srv = await startApiServer({ dataDir: dir, port: 0 });
  const client = new KubeClient({ server: srv.url, caPem: srv.caPem, token: srv.token });
  try {
    await client.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { password: 'hunter2' } });
    assert.deepEqual(modes(dir), {
      '.': '700', 'store.db': '600', 'store.db-wal': '600', 'store.db-shm': '600', 'ca.key': '600', 'apiserver.key': '600', token: '600', 'ca.crt': '644',
      'sa.key': '600', 'sa.pub': '644',
    });
  } finally {
    client.close();
    await srv.close();
  }
}

test('the data dir is 0700; the store, its -wal/-shm, the keys (the token signing key too) and the token are 0600', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mk-modes-'));
  const dir = join(root, 'data');
  try {
    await withSecret(dir, 'first');
    // a clean close checkpoints and removes the WAL: the next start's new -wal is 0600 too
    assert.equal(existsSync(join(dir, 'store.db-wal')), false);
    await withSecret(dir, 'second');
    // an older mk left the dir and the store open to everyone: a start tightens them
    chmodSync(dir, 0o755);
    for (const f of ['store.db', 'token', 'ca.key', 'apiserver.key', 'sa.key']) chmodSync(join(dir, f), 0o644);
    await withSecret(dir, 'third');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

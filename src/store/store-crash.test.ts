import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './index.ts';

test('kill -9 loses no write that returned', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-store-crash-'));
  try {
    const file = join(dir, 'state.db');
    const child = spawn(process.execPath, [join(import.meta.dirname, 'testdata', 'crash-writer.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = -1;
    let buf = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ok ')) acked = Number(l.slice(3));
      if (acked >= 300 && !child.killed) child.kill('SIGKILL');
    });
    const signal = await exited;
    assert.equal(signal, 'SIGKILL', 'the writer must die by SIGKILL, not finish');
    assert.ok(acked >= 300);
    const s = Store.open(file);
    try {
      const names = new Set(s.list('/core/configmaps/default/').items.map((o) => o.metadata.name));
      const missing: number[] = [];
      for (let i = 0; i <= acked; i++) if (!names.has(`cm-${i}`)) missing.push(i);
      assert.deepEqual(missing, [], 'every acknowledged write is there');
      assert.ok(s.revision >= acked + 1);
      assert.equal(s.get(`/core/configmaps/default/cm-${acked}`)!.data.i, String(acked));
    } finally {
      s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// One `mk tunnel` at a time on this host, across e2e files running in parallel: each tunnel adds
// the host route to the service range (10.96.0.0/12), and a second tunnel, of another cluster,
// is refused while that route exists. `withHostRoute` holds a lock directory (stale after 10
// minutes, left by a killed run) for the duration of `body`.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'mk-e2e-host-route.lock');
const STALE_MS = 10 * 60_000;

export async function withHostRoute<T>(body: () => Promise<T>, waitMs = 180_000): Promise<T> {
  const end = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try { if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true }); } catch {}
      if (Date.now() > end) throw new Error(`another e2e file held ${LOCK} (the host route) for ${waitMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

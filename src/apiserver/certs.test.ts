import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ensureCerts } from './certs.ts';

function handshake(certs: { caPem: string; certPem: string; keyPem: string }, servername: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const srv = createServer({ cert: certs.certPem, key: certs.keyPem }, (s) => s.end('hi'));
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      const c = connect({ host, port, ca: certs.caPem, servername: servername === host ? undefined : servername }, () => {
        c.once('data', (d) => {
          c.end();
          srv.close();
          resolve(d.toString());
        });
      });
      c.on('error', (e) => {
        srv.close();
        reject(e);
      });
    });
  });
}

test('serving cert verifies against the CA for 127.0.0.1 and kubernetes.default.svc; reused on restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-certs-'));
  try {
    const certs = await ensureCerts(dir, ['10.244.0.2']);
    assert.equal(await handshake(certs, '127.0.0.1'), 'hi');
    assert.equal(await handshake(certs, 'kubernetes.default.svc'), 'hi');
    const again = await ensureCerts(dir, ['10.244.0.2']);
    assert.equal(again.caPem, certs.caPem);
    assert.equal(again.certPem, certs.certPem);
    assert.equal(readFileSync(join(dir, 'apiserver.crt'), 'utf8'), certs.certPem);
    // a new SAN re-issues the serving cert from the same CA
    const more = await ensureCerts(dir, ['10.244.0.3']);
    assert.equal(more.caPem, certs.caPem);
    assert.notEqual(more.certPem, certs.certPem);
    assert.equal(await handshake(more, '127.0.0.1'), 'hi');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a different CA is refused', async () => {
  const a = mkdtempSync(join(tmpdir(), 'mk-certs-'));
  const b = mkdtempSync(join(tmpdir(), 'mk-certs-'));
  try {
    const ca = await ensureCerts(a);
    const other = await ensureCerts(b);
    await assert.rejects(handshake({ ...other, caPem: ca.caPem }, '127.0.0.1'), /certificate/);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

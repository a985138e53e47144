// The API server's TLS: modern clients get TLS 1.3; a TLS 1.2 client that can only take a SHA-1
// handshake signature (busybox wget sends no signature algorithms, which means SHA-1) is still
// answered, as Go's TLS in kube-apiserver answers it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { TestCluster } from './harness.ts';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
});
after(async () => {
  await c.stop();
});

function handshake(o: Record<string, unknown>): Promise<string> {
  const { port } = new URL(c.server.url);
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: Number(port), ca: c.server.caPem, servername: 'localhost', ...o }, () => {
      resolve(`${s.getProtocol()} ${s.getCipher().name}`);
      s.end();
    });
    s.on('error', reject);
  });
}

test('TLS 1.3 by default; a SHA-1-only TLS 1.2 client (busybox wget) is answered too', async () => {
  assert.match(await handshake({}), /^TLSv1\.3 /);
  assert.equal(await handshake({ maxVersion: 'TLSv1.2', sigalgs: 'ECDSA+SHA1', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0' }), 'TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
});

// Bounded memory: a request body over 3 MiB is answered with kube-apiserver's 413 Status (the
// client sees it, kubectl names the limit) and the connection stays usable; the watch history
// is bounded by bytes, so a watch from an evicted revision gets 410 Expired and a recent one
// still replays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const LIMIT = 3 * 1024 * 1024;
const TOO_LARGE = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 };
const CMS = '/api/v1/namespaces/default/configmaps';

let c: TestCluster;
let home: string;
before(async () => {
  c = await TestCluster.start({ watchHistory: { bytes: 200_000 } });
  home = mkdtempSync(join(tmpdir(), 'mk-limits-'));
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

const cm = (name: string, size: number, fill = 'x') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: fill.repeat(size) } });

/** A body sent in chunks with no Content-Length, as a streaming client does. */
function postChunked(path: string, body: string): Promise<{ status: number; json: any }> {
  const { hostname, port } = new URL(c.server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'POST', ca: c.server.caPem, headers: { authorization: `Bearer ${c.server.token}`, 'content-type': 'application/json' } }, async (res) => {
      let text = '';
      for await (const d of res) text += d;
      resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
    req.end();
  });
}

test('a body over 3 MiB gets a 413 RequestEntityTooLarge Status, with or without Content-Length; nothing is stored', async () => {
  const big = JSON.stringify(cm('huge', 4 * 1024 * 1024));
  for (const [method, path] of [['POST', CMS], ['PUT', `${CMS}/huge`], ['PATCH', `${CMS}/huge`]]) {
    const a = await c.call(method, path, { body: big, contentType: method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' });
    assert.equal(a.status, 413, `${method}: ${a.text.slice(0, 200)}`);
    assert.deepEqual(a.json, TOO_LARGE);
  }
  const chunked = await postChunked(CMS, big);
  assert.deepEqual([chunked.status, chunked.json], [413, TOO_LARGE]);
  // the keep-alive connection that carried the refused body still serves
  assert.equal((await c.get(`${CMS}/huge`)).status, 404);
  // at the limit, the body is read
  const fits = JSON.stringify(cm('fits', 0));
  const atLimit = JSON.stringify(cm('fits', LIMIT - fits.length));
  assert.equal(Buffer.byteLength(atLimit), LIMIT);
  const ok = await c.call('POST', CMS, { body: atLimit });
  assert.equal(ok.status, 201, ok.text.slice(0, 200));
  assert.equal((await c.del(`${CMS}/fits`)).status, 200);
});

test('kubectl apply and create of a 4 MB ConfigMap print the size limit', async () => {
  const kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
  const file = join(home, 'huge.json');
  writeFileSync(file, JSON.stringify(cm('huge', 4 * 1024 * 1024)));
  for (const verb of ['apply', 'create']) {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('/usr/lib/google-cloud-sdk/bin/kubectl.1.33', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), verb, '-f', file], { timeout: 60_000 }, (err, _stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (RequestEntityTooLarge): error when creating "${file}": Request entity too large: limit is 3145728\n`);
  }
});

test('the watch history is bounded by bytes: an evicted revision answers 410 Expired, a recent one replays', async () => {
  const created = await c.post(CMS, cm('hist', 20_000, 'a'));
  assert.equal(created.status, 201, created.text);
  const first = Number(created.json.metadata.resourceVersion);
  let last = first;
  for (const fill of 'bcdefghijk') {
    const u = await c.put(`${CMS}/hist`, cm('hist', 20_000, fill));
    assert.equal(u.status, 200, u.text);
    last = Number(u.json.metadata.resourceVersion);
  }
  // 11 writes of ~20-40 kB each do not fit in 200 kB: the first revisions are gone
  const old = await c.watch(`${CMS}?watch=true&resourceVersion=${first}`);
  const [ev] = await old.until(1);
  assert.equal(ev!.type, 'ERROR');
  assert.equal(ev!.object.code, 410);
  assert.equal(ev!.object.reason, 'Expired');
  assert.match(ev!.object.message, new RegExp(`^too old resource version: ${first} \\(\\d+\\)$`));
  old.close();
  const recent = await c.watch(`${CMS}?watch=true&resourceVersion=${last - 2}`);
  const evs = await recent.until(2);
  assert.deepEqual(evs.map((e) => [e.type, Number(e.object.metadata.resourceVersion), e.object.data.blob.slice(0, 1)]), [['MODIFIED', last - 1, 'j'], ['MODIFIED', last, 'k']]);
  recent.close();
});

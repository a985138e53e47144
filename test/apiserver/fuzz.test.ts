// Malformed bodies never get a 5xx: a seeded fuzzer (fuzz-bodies.ts) sends a few thousand
// broken creates, updates, patches of each type, status and scale writes for every kind; each
// answer is a 4xx Status (or a 2xx when the mutation happened to be valid), the server stays
// alive, and what it stored still lists and prints as a Table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from './harness.ts';
import { brokenJsonPatch, brokenMergePatch, brokenObject, brokenText, KINDS, NAMESPACE, nullEverywhere, Rng, type FuzzKind, type FuzzRequest } from './fuzz-bodies.ts';

const SEED = 20240608;
const RANDOM_CASES = 2500;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })).status, 201);
  for (const k of KINDS) {
    const a = await c.post(k.collection, k.seed(existing(k)));
    assert.equal(a.status, 201, `${k.plural}: ${a.text}`);
  }
});
after(() => c.stop());

const existing = (k: FuzzKind) => `fz-${k.plural}`;
const scale = (name: string) => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name }, spec: { replicas: 1 } });

const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSONPATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** The exhaustive part: a null at every position of every kind's object, created and updated. */
function nullCases(): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  for (const k of KINDS) {
    const one = `${k.collection}/${existing(k)}`;
    nullEverywhere(k.seed(existing(k))).forEach((body, i) => {
      out.push({ method: 'PUT', path: one, contentType: 'application/json', body, what: `PUT ${k.plural} null #${i}` });
      out.push({ method: 'POST', path: k.collection, contentType: 'application/json', body: body.replace(`"${existing(k)}"`, `"fz-new-${i}"`), what: `POST ${k.plural} null #${i}` });
      if (k.subresources.includes('status')) out.push({ method: 'PUT', path: `${one}/status`, contentType: 'application/json', body, what: `PUT ${k.plural}/status null #${i}` });
    });
  }
  return out;
}

/** The random part: any verb on any kind, with a broken body. */
function randomCase(rng: Rng, i: number): FuzzRequest {
  const k = rng.pick(KINDS);
  const name = existing(k);
  const one = `${k.collection}/${name}`;
  const seed = k.seed(name);
  const verbs = ['POST', 'PUT', 'MERGE', 'STRATEGIC', 'JSON', 'APPLY', 'TEXT', ...k.subresources.map((s) => `SUB:${s}`)];
  const verb = rng.pick(verbs);
  const what = `#${i} ${verb} ${k.plural}`;
  switch (verb) {
    case 'POST':
      return { method: 'POST', path: k.collection, contentType: 'application/json', body: brokenObject(rng, k.seed(`fz-r${i}`)), what };
    case 'PUT':
      return { method: 'PUT', path: one, contentType: 'application/json', body: brokenObject(rng, seed), what };
    case 'MERGE':
      return { method: 'PATCH', path: one, contentType: MERGE, body: brokenMergePatch(rng, seed, false), what };
    case 'STRATEGIC':
      return { method: 'PATCH', path: one, contentType: STRATEGIC, body: brokenMergePatch(rng, seed, true), what };
    case 'JSON':
      return { method: 'PATCH', path: one, contentType: JSONPATCH, body: brokenJsonPatch(rng, seed), what };
    case 'APPLY':
      return { method: 'PATCH', path: `${one}?fieldManager=fz&force=true`, contentType: APPLY, body: brokenObject(rng, seed), what };
    case 'TEXT': {
      const t = brokenText(rng, seed);
      return { method: rng.pick(['POST', 'PUT'] as const), path: rng.int(2) ? k.collection : one, ...t, what };
    }
    default: {
      const sub = verb.slice(4);
      const subSeed = sub === 'scale' ? scale(name) : seed;
      const patch = rng.int(2) === 0;
      return patch
        ? { method: 'PATCH', path: `${one}/${sub}`, contentType: rng.pick([MERGE, STRATEGIC]), body: brokenMergePatch(rng, subSeed, true), what }
        : { method: 'PUT', path: `${one}/${sub}`, contentType: 'application/json', body: brokenObject(rng, subSeed), what };
    }
  }
}

test('malformed bodies for every kind and write verb get a 4xx Status (or a 2xx), never a 5xx; the server stays alive', async () => {
  const rng = new Rng(SEED);
  const cases = [...nullCases(), ...Array.from({ length: RANDOM_CASES }, (_, i) => randomCase(rng, i))];
  const failures = new Map<string, string>();
  let sent = 0;
  for (const r of cases) {
    const fieldValidation = rng.pick(['', 'Strict', 'Warn', 'Ignore']);
    const path = fieldValidation ? `${r.path}${r.path.includes('?') ? '&' : '?'}fieldValidation=${fieldValidation}` : r.path;
    const a = await c.call(r.method, path, { body: r.body, contentType: r.contentType });
    sent++;
    const wellFormed = a.status < 400 || (a.json?.kind === 'Status' && a.json.status === 'Failure' && a.json.code === a.status && typeof a.json.message === 'string');
    if (a.status >= 500 || !wellFormed) {
      const key = `${a.status} ${String(a.json?.message ?? a.text).slice(0, 160)}`;
      if (!failures.has(key)) failures.set(key, `${r.what}: ${String(r.body).slice(0, 300)}`);
    }
    if (sent % 250 === 0) assert.equal((await c.get('/healthz')).status, 200, `healthz after ${sent} requests`);
  }
  assert.deepEqual([...failures].map(([k, v]) => `${k}\n    ← ${v}`), []);
  assert.ok(sent >= 3000, `sent ${sent}`);
  assert.equal((await c.get('/healthz')).status, 200);
});

test('whatever the fuzzer managed to store lists, and prints as a Table, for every kind', async () => {
  for (const k of KINDS) {
    for (const accept of ['application/json', TABLE]) {
      const a = await c.get(k.collection, { accept });
      assert.equal(a.status, 200, `${k.plural} ${accept}: ${a.text.slice(0, 300)}`);
    }
  }
});

// The reproductions of issue 8 part 5, each the answer kube-apiserver gives: null list
// elements are zero values that validation names (422, not 500), nesting is capped, numeric
// and boolean query parameters are parsed strictly, the bearer scheme is case-insensitive,
// label-selector keys and values are validated, a patch that drops metadata names the name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { TestCluster, svc, deployment } from './harness.ts';
import { deepText } from './fuzz-bodies.ts';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
  assert.equal((await c.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: 'b' } })).status, 201);
  assert.equal((await c.post('/apis/apps/v1/namespaces/default/deployments', deployment('web', 0))).status, 201);
});
after(() => c.stop());

const CMS = '/api/v1/namespaces/default/configmaps';
const SVCS = '/api/v1/namespaces/default/services';
const PODS = '/api/v1/namespaces/default/pods';
const cm = (name: string, extra: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"b"}${extra}}`;
const pod = (containers: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } });

type Case = [what: string, method: string, path: string, body: unknown, contentType: string | undefined, code: number, message: string];

async function check(cases: Case[]) {
  for (const [what, method, path, body, contentType, code, message] of cases) {
    const a = await c.call(method, path, body === undefined ? {} : { body, contentType });
    assert.deepEqual([a.status, a.json?.kind, a.json?.message], [code, 'Status', message], `${what}: ${a.text.slice(0, 400)}`);
  }
}

test('a null list element is the zero value of its type: validation names it (422), nothing crashes', async () => {
  await check([
    ['Service ports [null]', 'POST', SVCS, svc('s', { spec: { ports: [null] } }), undefined, 422, 'Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['Pod containers [null]', 'POST', PODS, pod([null]), undefined, 422, 'Pod "p" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]'],
    ['Pod containers [good, null]', 'POST', PODS, pod([{ name: 'a', image: 'x' }, null]), undefined, 422, 'Pod "p" is invalid: [spec.containers[1].name: Required value, spec.containers[1].image: Required value]'],
    [
      'Deployment template containers [null], by merge patch',
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web',
      { spec: { template: { spec: { containers: [null] } } } },
      'application/merge-patch+json',
      422,
      'Deployment.apps "web" is invalid: [spec.template.spec.containers[0].name: Required value, spec.template.spec.containers[0].image: Required value]',
    ],
    ['Service ports [null], by update', 'PUT', `${SVCS}/s`, svc('s', { spec: { ports: [null] } }), undefined, 404, 'services "s" not found'],
  ]);
  // a null map value is an empty string, as Go decodes it; a null field is unset
  const a = await c.post(`${CMS}?fieldValidation=Strict`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nulls', labels: { a: null }, annotations: null }, data: { k: null }, binaryData: null });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual([a.json.metadata.labels, a.json.metadata.annotations, a.json.data, 'binaryData' in a.json], [{ a: '' }, undefined, { k: '' }, false]);
  assert.equal((await c.get('/healthz')).status, 200);
});

test('bodies nested deeper than 10000 levels are refused as kube-apiserver refuses them; unknown fields are not stored', async () => {
  await check([
    ['JSON 50,000 deep', 'POST', CMS, deepText(50000, 'array'), 'application/json', 400, "couldn't get version/kind; json parse error: invalid character '[' exceeded max depth"],
    ['JSON 10,001 deep in a field', 'POST', CMS, cm('deep', `,"x":${deepText(10000, 'object')}`), 'application/json', 400, "couldn't get version/kind; json parse error: invalid character '{' exceeded max depth"],
    ['the same, strict', 'POST', `${CMS}?fieldValidation=Strict`, cm('deep', `,"x":${deepText(9999, 'array')}`), 'application/json', 400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "x"'],
    ['deep where a string map is', 'POST', CMS, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"a":${deepText(9000, 'array')}}}`, 'application/json', 400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.data of type string'],
    ['YAML too deep for the parser', 'POST', CMS, `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/yaml', 400, 'error converting YAML to JSON: yaml: exceeded max depth'],
    ['YAML that refers to itself', 'POST', CMS, 'a: &a [*a]\n', 'application/yaml', 400, 'error converting YAML to JSON: yaml: exceeded max depth of 10000'],
    ['a free-form field nested too deep', 'POST', CMS, cm('deep', '').replace('"metadata":{', `"metadata":{"managedFields":[{"fieldsV1":${deepText(100, 'object')}}],`), 'application/json', 400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: metadata.managedFields[0].fieldsV1: nested deeper than 64 levels'],
    ['a merge patch 1,001 deep', 'PATCH', `${CMS}/keep`, `{"x":${deepText(1000, 'object')}}`, 'application/merge-patch+json', 400, 'the patch nests more than 1000 levels deep, more than mk applies'],
    ['a JSON patch value 5,000 deep', 'PATCH', `${CMS}/keep`, `[{"op":"add","path":"/x","value":${deepText(5000, 'array')}}]`, 'application/json-patch+json', 400, 'the patch nests more than 1000 levels deep, more than mk applies'],
    ['a scale patch 1,001 deep', 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', `{"spec":${deepText(1000, 'object')}}`, 'application/merge-patch+json', 400, 'the patch nests more than 1000 levels deep, more than mk applies'],
  ]);
  // 9,999 deep in an unknown field, not strict: accepted, and the unknown field is dropped as kube-apiserver drops it
  const ok = await c.call('POST', `${CMS}?fieldValidation=Ignore`, { body: cm('deep-ok', `,"x":${deepText(9998, 'object')}`) });
  assert.equal(ok.status, 201, ok.text.slice(0, 300));
  assert.deepEqual(Object.keys(ok.json).sort(), ['apiVersion', 'data', 'kind', 'metadata']);
  const patched = await c.patch(`${CMS}/keep?fieldValidation=Ignore`, `{"x":${deepText(998, 'object')}}`, 'application/merge-patch+json');
  assert.equal(patched.status, 200, patched.text.slice(0, 300));
  assert.equal(patched.json.x, undefined);
  assert.equal((await c.get('/healthz')).status, 200);
});

test('numeric and boolean query parameters are parsed as kube-apiserver parses them', async () => {
  await check([
    ['watch timeoutSeconds=abc', 'GET', `${CMS}?watch=true&timeoutSeconds=abc`, undefined, undefined, 400, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['/watch/ timeoutSeconds=1.5', 'GET', '/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=1.5', undefined, undefined, 400, 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['list limit=abc', 'GET', `${CMS}?limit=abc`, undefined, undefined, 400, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['list limit too large', 'GET', `${CMS}?limit=99999999999999999999`, undefined, undefined, 400, 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    ['list resourceVersion=abc', 'GET', `${CMS}?resourceVersion=abc`, undefined, undefined, 400, 'invalid resource version: abc'],
    ['watch resourceVersion=-1', 'GET', `${CMS}?watch=1&resourceVersion=-1`, undefined, undefined, 400, 'invalid resource version: -1'],
    ['watch=maybe', 'GET', `${CMS}?watch=maybe`, undefined, undefined, 400, 'strconv.ParseBool: parsing "maybe": invalid syntax'],
    ['allowWatchBookmarks=yes', 'GET', `${CMS}?watch=true&allowWatchBookmarks=yes`, undefined, undefined, 400, 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['deletecollection timeoutSeconds=x', 'DELETE', `${CMS}?timeoutSeconds=x`, undefined, undefined, 400, 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['delete gracePeriodSeconds=soon', 'DELETE', `${CMS}/keep?gracePeriodSeconds=soon`, undefined, undefined, 400, 'strconv.ParseInt: parsing "soon": invalid syntax'],
  ]);
  // what Go's ParseBool and ParseInt accept still works
  const w = await c.watch(`${CMS}?watch=True&timeoutSeconds=%2B1&fieldSelector=metadata.name%3Dkeep`);
  assert.equal(w.status, 200);
  assert.deepEqual((await w.until(1)).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'keep']]);
  w.close();
  assert.equal((await c.get(`${CMS}?limit=500&watch=false`)).status, 200);
});

test('the bearer scheme is read in any case, as kube-apiserver reads it', async () => {
  const cases: [string, number][] = [
    [`Bearer ${c.server.token}`, 200],
    [`bearer ${c.server.token}`, 200],
    [`BEARER ${c.server.token}`, 200],
    [`  Bearer ${c.server.token}  `, 200],
    [`Bearer  ${c.server.token}`, 401],
    [`Basic ${c.server.token}`, 401],
    ['Bearer', 401],
    [c.server.token, 401],
  ];
  for (const [header, code] of cases) {
    assert.equal(await rawGet(header), code, header.replace(c.server.token, 'TOKEN'));
  }
});

function rawGet(authorization: string): Promise<number> {
  const { hostname, port } = new URL(c.server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: CMS, headers: { authorization }, ca: c.server.caPem }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('label-selector keys and values are validated with labels.Parse\'s messages', async () => {
  const long = 'a'.repeat(64);
  const sel = (s: string) => `${CMS}?labelSelector=${encodeURIComponent(s)}`;
  await check([
    ['name part over 63', 'GET', sel(`${long}=b`), undefined, undefined, 400, `key: Invalid value: "${long}": name part must be no more than 63 characters`],
    ['prefix not a subdomain', 'GET', sel('Example.com/a=b'), undefined, undefined, 400, `key: Invalid value: "Example.com/a": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`],
    ['prefix over 253', 'GET', sel(`${'a'.repeat(254)}/x`), undefined, undefined, 400, `key: Invalid value: "${'a'.repeat(254)}/x": prefix part must be no more than 253 characters`],
    ['bad name part, in a watch', 'GET', `${sel('-a')}&watch=true`, undefined, undefined, 400, `key: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`],
    ['value over 63', 'GET', sel(`a=${long}`), undefined, undefined, 400, `values[0][a]: Invalid value: "${long}": must be no more than 63 characters`],
    ['in () with no values', 'GET', sel('a in ()'), undefined, undefined, 400, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['Gt with a word', 'GET', sel('a>b'), undefined, undefined, 400, "values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['in a deletecollection', 'DELETE', sel(`${long}`), undefined, undefined, 400, `key: Invalid value: "${long}": name part must be no more than 63 characters`],
  ]);
  assert.equal((await c.get(sel('example.com/a=b,tier in (web, db),!x'))).status, 200);
  assert.equal((await c.get(CMS + '/keep')).status, 200);
});

test('a patch that removes metadata is refused naming the object\'s name, as kube-apiserver does', async () => {
  const noName = 'the name of the object () does not match the name on the URL (keep)';
  await check([
    ['JSON patch remove /metadata', 'PATCH', `${CMS}/keep`, [{ op: 'remove', path: '/metadata' }], 'application/json-patch+json', 400, noName],
    ['JSON patch remove /metadata/name', 'PATCH', `${CMS}/keep`, [{ op: 'remove', path: '/metadata/name' }], 'application/json-patch+json', 400, noName],
    ['merge patch metadata: null', 'PATCH', `${CMS}/keep`, { metadata: null }, 'application/merge-patch+json', 400, noName],
    ['strategic patch metadata: null', 'PATCH', `${CMS}/keep`, { metadata: null }, 'application/strategic-merge-patch+json', 400, noName],
    ['JSON patch replacing the whole object', 'PATCH', `${CMS}/keep`, [{ op: 'replace', path: '', value: 5 }], 'application/json-patch+json', 400, 'the patched object must be a JSON object, got number'],
    ['metadata of the wrong type', 'PATCH', `${CMS}/keep`, { metadata: [] }, 'application/merge-patch+json', 400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.metadata of type v1.ObjectMeta'],
    ['scale replicas out of int32', 'PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 1e308 } }, undefined, 400, 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number 1e+308 into Go struct field ScaleSpec.spec.replicas of type int32'],
  ]);
  assert.deepEqual((await c.get(`${CMS}/keep`)).json.data, { a: 'b' });
});

test('warnings for unknown fields are bounded as kube-apiserver bounds them, and carry any text', async () => {
  const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, i]));
  const a = await c.post(`${CMS}?fieldValidation=Warn`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned' }, ...many, '😀': 1 });
  assert.equal(a.status, 201, a.text.slice(0, 300));
  const headers = String(a.headers.warning).split(', 299 - ').length;
  assert.ok(headers > 10 && headers < 300, `${headers} warnings`);
  assert.ok(String(a.headers.warning).length < 12_000, `${String(a.headers.warning).length} bytes of warnings`);
  const one = await c.post(`${CMS}?fieldValidation=Warn`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned-2' }, 'ünï😀': 1 });
  assert.equal(one.status, 201);
  assert.equal(Buffer.from(String(one.headers.warning), 'latin1').toString('utf8'), '299 - "unknown field \\"ünï😀\\""');
});

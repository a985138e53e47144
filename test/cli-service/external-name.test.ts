// ExternalName Services and healthCheckNodePort, as kubectl 1.33 and 1.27 see them on mk's API
// server, and mk get/describe printing the same: EXTERNAL-IP is the external name, PORT(S) as
// given, `External Name:` in describe; seed 001's LoadBalancer with externalTrafficPolicy Local
// gets a healthCheckNodePort allocated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture } from './harness.ts';
import type { Fixture } from './harness.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { get } from '../../src/cli/get.ts';
import { describeCmd } from '../../src/cli/describe.ts';
import { formatError } from '../../src/cli/errors.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => f?.close());

const EXTERNAL = `apiVersion: v1
kind: Service
metadata:
  name: external-service
spec:
  type: ExternalName
  externalName: someapi.somecompany.com
  ports:
  - port: 80
`;
const BARE = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: my.database.example.com
`;
const SEED001 = `apiVersion: v1
kind: Service
metadata:
  name: uc-idc-slb
spec:
  allocateLoadBalancerNodePorts: true
  externalTrafficPolicy: Local
  internalTrafficPolicy: Cluster
  ports:
  - name: uc-idc-slb-8000-10000
    port: 8000
    protocol: TCP
    targetPort: 10000
  - name: uc-idc-slb-443-10000
    port: 443
    protocol: TCP
    targetPort: 10000
  selector:
    app: envoy-hk-idc
  sessionAffinity: None
  type: LoadBalancer
`;

const mk = async (fn: (o: ReturnType<typeof bufferOutput>) => Promise<void>) => {
  const out = bufferOutput();
  try {
    await fn(out);
  } catch (e) {
    out.err(formatError(e) + '\n');
  }
  return out;
};

test('ExternalName: accepted; get and describe as kubectl shows them', async () => {
  for (const doc of [EXTERNAL, BARE]) {
    const r = await f.kubectl(['apply', '-f', '-'], { input: doc });
    assert.equal(r.code, 0, r.stderr);
  }
  const svc = await f.cluster.get('/api/v1/namespaces/default/services/external-service');
  assert.equal(svc.json.spec.clusterIP, undefined, 'no ClusterIP for an ExternalName Service');
  for (const minor of [33, 27]) {
    const theirs = await f.kubectl(['get', 'svc', 'external-service', 'db'], { minor });
    assert.equal(theirs.code, 0, theirs.stderr);
    const lines = theirs.stdout.split('\n');
    assert.match(lines[1]!, /^external-service\s+ExternalName\s+<none>\s+someapi\.somecompany\.com\s+80\/TCP\s+\S+$/);
    assert.match(lines[2]!, /^db\s+ExternalName\s+<none>\s+my\.database\.example\.com\s+<none>\s+\S+$/);
    const mine = await mk((o) => get(f.client, ['svc', 'external-service', 'db'], {}, o));
    // the two reads may fall on either side of a second: AGE is compared as a shape
    const ageless = (t: string) => t.replace(/ (\d+[smhdy])+$/gm, ' <age>');
    assert.equal(ageless(mine.stdout), ageless(theirs.stdout), `kubectl 1.${minor}`);
  }
  const theirs = await f.kubectl(['describe', 'svc', 'external-service']);
  assert.match(theirs.stdout, /^External Name:\s+someapi\.somecompany\.com$/m);
  assert.match(theirs.stdout, /^Type:\s+ExternalName$/m);
  const mine = await mk((o) => describeCmd(f.client, ['svc', 'external-service'], {}, o));
  assert.equal(mine.stdout, theirs.stdout);
});

test('ExternalName: refused without an externalName, or with a ClusterIP', async () => {
  const r = await f.kubectl(['apply', '-f', '-'], { input: BARE.replace('name: db', 'name: db2').replace(/  externalName: .*\n/, '') });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /The Service "db2" is invalid: spec.externalName: Required value/);
  const ip = await f.kubectl(['apply', '-f', '-'], { input: BARE.replace('name: db', 'name: db3').replace('type: ExternalName', 'type: ExternalName\n  clusterIPs: [10.96.5.5]') });
  assert.notEqual(ip.code, 0);
  assert.match(ip.stderr, /The Service "db3" is invalid: .*spec.clusterIPs: Forbidden: may not be set for ExternalName services/s);
});

test('seed 001: a LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort; describe shows it', async () => {
  const r = await f.kubectl(['apply', '-f', '-'], { input: SEED001 });
  assert.equal(r.code, 0, r.stderr);
  const svc = (await f.cluster.get('/api/v1/namespaces/default/services/uc-idc-slb')).json;
  const hc = svc.spec.healthCheckNodePort;
  assert.ok(hc >= 30000 && hc <= 32767, String(hc));
  const nodePorts = svc.spec.ports.map((p: any) => p.nodePort);
  assert.equal(new Set([hc, ...nodePorts]).size, 3, 'the health check port is a node port of its own');
  const described = await f.kubectl(['describe', 'svc', 'uc-idc-slb']);
  assert.match(described.stdout, new RegExp(`^HealthCheck NodePort:\\s+${hc}$`, 'm'));
  assert.match(described.stdout, /^External Traffic Policy:\s+Local$/m);
  assert.match(described.stdout, /^Type:\s+LoadBalancer$/m);
  assert.doesNotMatch(described.stdout, /^LoadBalancer Ingress:/m);
  const mine = await mk((o) => describeCmd(f.client, ['svc', 'uc-idc-slb'], {}, o));
  assert.equal(mine.stdout, described.stdout);
  const got = await f.kubectl(['get', 'svc', 'uc-idc-slb', '--no-headers']);
  assert.match(got.stdout, /^uc-idc-slb\s+LoadBalancer\s+10\.\S+\s+<pending>\s+8000:\d+\/TCP,443:\d+\/TCP\s+\S+\n$/);
});

// mk expose against the in-process API server, compared with real kubectl 1.33 and 1.27's
// expose of the same objects (each client in its own namespace): identical Services modulo the
// allocated clusterIP/nodePorts, identical messages and errors. Where 1.27 differs (it knew one
// protocol per port), mk does what 1.33 does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, decided } from './harness.ts';
import type { Fixture } from './harness.ts';
import { runExpose, buildExposedService } from '../../src/cli/expose.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { formatError } from '../../src/cli/errors.ts';
import { R } from '../../src/api/resources.ts';

let f: Fixture;
const NAMESPACES = { mk: 'mk', k33: 'k33', k27: 'k27' };

const tmpl = (labels: Record<string, string>, containers: object[]) => ({ metadata: { labels }, spec: { containers } });
const OBJECTS: [string, object][] = [
  ['apis/apps/v1/namespaces/NS/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-world', labels: { app: 'hello', tier: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'hello' } }, template: tmpl({ app: 'hello' }, [{ name: 'c', image: 'hello', ports: [{ containerPort: 8080 }] }]) } }],
  ['apis/apps/v1/namespaces/NS/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'noports' }, spec: { selector: { matchLabels: { app: 'np' } }, template: tmpl({ app: 'np' }, [{ name: 'c', image: 'x' }]) } }],
  ['apis/apps/v1/namespaces/NS/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'exprs' }, spec: { selector: { matchLabels: { app: 'ex' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, template: tmpl({ app: 'ex', tier: 'a' }, [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }]) } }],
  ['apis/apps/v1/namespaces/NS/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'kubia' }, spec: { replicas: 1, selector: { matchLabels: { app: 'kubia' } }, template: tmpl({ app: 'kubia' }, [{ name: 'a', image: 'k', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8443 }] }, { name: 'b', image: 'k', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 9090 }] }]) } }],
  ['apis/apps/v1/namespaces/NS/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'dup' }, spec: { replicas: 1, selector: { matchLabels: { app: 'dup' } }, template: tmpl({ app: 'dup' }, [{ name: 'a', image: 'k', ports: [{ containerPort: 8080 }] }, { name: 'b', image: 'k', ports: [{ containerPort: 8080 }] }]) } }],
  ['api/v1/namespaces/NS/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod1', labels: { run: 'pod1' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 9000 }] }] } }],
  ['api/v1/namespaces/NS/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 9000 }] }] } }],
  ['api/v1/namespaces/NS/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia', labels: { team: 'a' } }, spec: { selector: { app: 'kubia' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 8443 }], sessionAffinity: 'ClientIP' } }],
  ['api/v1/namespaces/NS/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } }],
];

before(async () => {
  f = await startFixture();
  for (const ns of Object.values(NAMESPACES)) {
    await f.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const [path, body] of OBJECTS) await f.create('/' + path.replace('NS', ns), body);
  }
});
after(async () => f?.close());

async function mkExpose(args: string[], flags: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = bufferOutput();
  const o = {
    namespace: NAMESPACES.mk,
    port: flags.port,
    targetPort: flags['target-port'],
    type: flags.type,
    name: flags.name,
    protocol: flags.protocol,
    selector: flags.selector,
    sessionAffinity: flags['session-affinity'],
    externalIp: flags['external-ip'],
    loadBalancerIp: flags['load-balancer-ip'],
    clusterIp: flags['cluster-ip'],
    labels: flags.labels,
  };
  try {
    await runExpose(f.client, args, o, out);
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    return { code: 1, stdout: out.stdout, stderr: formatError(e) + '\n' };
  }
}

const CASES: { title: string; args: string[]; flags?: Record<string, string>; service?: string; stdout?: string; stderr?: RegExp; k27?: RegExp; own?: boolean }[] = [
  { title: 'seed 004: deployment with --port and --target-port', args: ['deployment', 'hello-world'], flags: { port: '80', 'target-port': '8080' }, service: 'hello-world', stdout: 'service/hello-world exposed\n' },
  { title: 'deployment, NodePort, port from the container', args: ['deploy/hello-world'], flags: { type: 'NodePort', name: 'hello-np' }, service: 'hello-np', stdout: 'service/hello-np exposed\n' },
  { title: 'deployment, LoadBalancer with a load balancer IP and an external IP', args: ['deployment', 'hello-world'], flags: { type: 'LoadBalancer', name: 'hello-lb', port: '8080', 'load-balancer-ip': '10.0.0.9', 'external-ip': '10.0.0.8' }, service: 'hello-lb' },
  { title: 'replicaset with several container ports: port-1…, UDP kept', args: ['rs', 'kubia'], flags: { name: 'kubia-rs' }, service: 'kubia-rs' },
  { title: 'one port in two containers: two ports of one protocol, refused as kubectl\'s are', args: ['rs', 'dup'], flags: {}, k27: /^The Service "dup" is invalid: spec.ports\[1\]: Duplicate value/, stderr: /^The Service "dup" is invalid: \n\* spec.ports\[1\].name: Duplicate value: "port-1-tcp"\n/ },
  { title: 'replicaset, --protocol and --session-affinity and -l', args: ['replicaset', 'kubia'], flags: { name: 'kubia-udp', port: '53', protocol: 'UDP', 'session-affinity': 'ClientIP', labels: 'x=y,z=w' }, service: 'kubia-udp' },
  { title: 'pod: selector and labels from its labels', args: ['pod', 'pod1'], flags: {}, service: 'pod1' },
  { title: 'pod, --selector given, named target port', args: ['po', 'bare'], flags: { selector: 'run=other', port: '81', 'target-port': 'http' }, service: 'bare' },
  { title: 'service: its selector and ports', args: ['svc', 'kubia'], flags: { name: 'kubia-copy', type: 'NodePort' }, service: 'kubia-copy' },
  { title: 'headless without ports', args: ['deployment', 'noports'], flags: { 'cluster-ip': 'None', name: 'np-headless' }, service: 'np-headless' },
  { title: 'no port anywhere', args: ['deployment', 'noports'], flags: {}, stderr: /^error: couldn't find port via --port flag or introspection\n/ },
  { title: 'matchExpressions', args: ['deployment', 'exprs'], flags: {}, stderr: /^error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "\[\{Key:tier Operator:In Values:\[a b\]\}\]" to map-based selector format\n/ },
  { title: 'pod without labels', args: ['pod', 'bare'], flags: { port: '80' }, stderr: /^error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\n/ },
  { title: 'no name', args: ['deployment'], flags: {}, stderr: /^error: resource\(s\) were provided, but no name was specified\n$/ },
  { title: 'nothing to expose (mk takes no -f: its examples differ)', args: [], flags: {}, own: true, stderr: /^error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '<resource> <name>'\n/ },
  { title: 'not found', args: ['deployment', 'nope'], flags: {}, stderr: /^Error from server \(NotFound\): deployments.apps "nope" not found\n/ },
  { title: 'a ConfigMap cannot be exposed', args: ['configmap', 'cm'], flags: {}, stderr: /^error: cannot expose a ConfigMap\n/ },
  { title: 'unknown session affinity', args: ['deployment', 'hello-world'], flags: { name: 'aff', 'session-affinity': 'Sticky' }, stderr: /^error: unknown session affinity: Sticky\n/ },
  { title: 'type refused by the server', args: ['deployment', 'hello-world'], flags: { name: 'badtype', type: 'nodeport' }, stderr: /^The Service "badtype" is invalid: spec.type: Unsupported value: "nodeport": supported values: /m },
];

for (const c of CASES) {
  test(`expose: ${c.title}`, async () => {
    const flags = c.flags ?? {};
    const kcFlags = Object.entries(flags).map(([k, v]) => `--${k}=${v}`);
    const mine = await mkExpose(c.args, flags);
    for (const minor of [33, 27] as const) {
      const ns = minor === 33 ? NAMESPACES.k33 : NAMESPACES.k27;
      const theirs = await f.kubectl(['expose', ...c.args, ...kcFlags, '-n', ns], { minor });
      if (c.stderr) {
        assert.notEqual(mine.code, 0);
        assert.match(mine.stderr, c.stderr);
        if (c.own) assert.equal(mine.stderr.split('\n')[0], theirs.stderr.split('\n')[0], `kubectl 1.${minor}`);
        else if (minor === 33) assert.equal(mine.stderr, theirs.stderr.replace(/See 'kubectl expose -h'.*\n/, ''), `kubectl 1.${minor}`);
        else assert.match(theirs.stderr, c.k27 ?? c.stderr, `kubectl 1.${minor}`);
        continue;
      }
      assert.equal(mine.stderr, '');
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(mine.stdout, theirs.stdout, `kubectl 1.${minor}`);
      if (c.stdout) assert.equal(mine.stdout, c.stdout);
      const a = await f.client.get(R.services, NAMESPACES.mk, c.service!);
      const b = await f.client.get(R.services, ns, c.service!);
      assert.deepEqual(decided(a), decided(b), `kubectl 1.${minor}`);
    }
  });
}

test('expose: the server allocates the clusterIP and nodePorts', async () => {
  const svc = await f.client.get(R.services, NAMESPACES.mk, 'hello-np');
  assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/);
  assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
  assert.deepEqual(svc.spec.ports.map((p: any) => [p.port, p.targetPort, p.protocol]), [[8080, 8080, 'TCP']]);
});

test('buildExposedService: a long name is cut to 63 characters; several protocols on one port', () => {
  const name = 'a'.repeat(70);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { a: 'b' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }] }] } };
  const svc = buildExposedService('Pod', pod, {});
  assert.equal(svc.metadata.name, 'a'.repeat(63));
  assert.deepEqual(svc.spec.ports, [
    { name: 'port-1-udp', port: 53, protocol: 'UDP', targetPort: 53 },
    { name: 'port-1-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
  ]);
});

// Golden tests: objects built after the tutorials, rendered, compared with the tables the
// seeds print (only AGE/IP values the seeds show are reproduced by the builders).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, resolveResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { renderTable, toTable, type RenderOptions } from './index.ts';
import { NOW, ago, meta, node, runningPod, seed, service } from './testdata/build.ts';

function render(kind: string, objs: KubeObject[], opts: RenderOptions = {}): string {
  return renderTable(toTable(resolveResource(kind)!, objs, { now: NOW }), opts);
}

const kubernetes = (age: string) => service('kubernetes', age, { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 8443 }] });

test('get svc (seed 002): ClusterIP services', () => {
  const got = render('svc', [kubernetes('23h'), service('kubia', '20s', { clusterIP: '10.98.229.76', ports: [{ port: 80, targetPort: 8080 }] })]);
  assert.equal(got, seed(`
	NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
	kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP   23h
	kubia        ClusterIP   10.98.229.76   <none>        80/TCP    20s
`));
});

test('get svc (seed 002): NodePort, LoadBalancer <pending>, headless None, several ports', () => {
  const got = render('svc', [
    kubernetes('43h'),
    service('kubia', '22h', { clusterIP: '10.111.88.195', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }),
    service('kubia-headless', '103s', { clusterIP: 'None', ports: [{ port: 80, targetPort: 8080 }] }),
    service('kubia-loadbalancer', '4m11s', { type: 'LoadBalancer', clusterIP: '10.99.184.62', ports: [{ port: 80, targetPort: 8080, nodePort: 30994 }] }),
    service('kubia-nodeport', '99m', { type: 'NodePort', clusterIP: '10.103.7.50', ports: [{ port: 80, targetPort: 8080, nodePort: 30123 }] }),
  ]);
  assert.equal(got, seed(`
	NAME                 TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE
	kubernetes           ClusterIP      10.96.0.1       <none>        443/TCP          43h
	kubia                ClusterIP      10.111.88.195   <none>        80/TCP,443/TCP   22h
	kubia-headless       ClusterIP      None            <none>        80/TCP           103s
	kubia-loadbalancer   LoadBalancer   10.99.184.62    <pending>     80:30994/TCP     4m11s
	kubia-nodeport       NodePort       10.103.7.50     <none>        80:30123/TCP     99m
`));
});

test('get svc -n kube-system (seed 002): kube-dns with UDP and TCP ports', () => {
  const dns = service('kube-dns', '2d3h', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }, { name: 'metrics', port: 9153 }] });
  assert.equal(render('services', [dns]), seed(`
	NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
	kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   2d3h
`));
});

test('get service (seed 004): LoadBalancer with an ingress IP, NodePort from expose', () => {
  const lb = service('hello-world', '29s', { type: 'LoadBalancer', clusterIP: '10.0.202.198', ports: [{ port: 80, targetPort: 8080, nodePort: 31468 }] }, { status: { loadBalancer: { ingress: [{ ip: '23.97.235.50' }] } } });
  assert.equal(render('service', [lb]), seed(`
  NAME          TYPE           CLUSTER-IP     EXTERNAL-IP    PORT(S)        AGE
  hello-world   LoadBalancer   10.0.202.198   23.97.235.50   80:31468/TCP   29s
`));
  const np = service('hello-world', '5s', { type: 'NodePort', clusterIP: '10.111.34.177', ports: [{ port: 8080, targetPort: 8080, nodePort: 30583 }] });
  assert.equal(render('svc', [np, kubernetes('36d')]), seed(`
    NAME          TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE
    hello-world   NodePort    10.111.34.177   <none>        8080:30583/TCP   5s
    kubernetes    ClusterIP   10.96.0.1       <none>        443/TCP          36d
`));
});

test('get pod --show-labels (seed 002)', () => {
  const got = render('pod', [
    runningPod('kubia', '101m'),
    runningPod('kubia-label', '98m', { labels: { app: 'kubia' } }),
    runningPod('kubia-label1', '99s', { labels: { app: 'kubia' } }),
    runningPod('kubia-label2', '79s', { labels: { app: 'kubia' } }),
  ], { showLabels: true });
  assert.equal(got, seed(`
	NAME           READY   STATUS    RESTARTS   AGE    LABELS
	kubia          1/1     Running   0          101m   <none>
	kubia-label    1/1     Running   0          98m    app=kubia
	kubia-label1   1/1     Running   0          99s    app=kubia
	kubia-label2   1/1     Running   0          79s    app=kubia
`));
});

test('get po -o wide (seed 002) and readiness (0/1 Running)', () => {
  const pods = [
    runningPod('kubia', '15h', { ip: '10.44.0.4', node: 'server02' }),
    runningPod('kubia-5rvfq', '15h', { ip: '10.44.0.2', node: 'server02' }),
    runningPod('kubia-8cgnm', '15h', { ip: '10.44.0.1', node: 'server02' }),
    runningPod('kubia-8kv8d', '15h', { ip: '10.44.0.3', node: 'server02' }),
  ];
  assert.equal(render('po', pods, { wide: true }), seed(`
	NAME          READY   STATUS    RESTARTS   AGE   IP          NODE       NOMINATED NODE   READINESS GATES
	kubia         1/1     Running   0          15h   10.44.0.4   server02   <none>           <none>
	kubia-5rvfq   1/1     Running   0          15h   10.44.0.2   server02   <none>           <none>
	kubia-8cgnm   1/1     Running   0          15h   10.44.0.1   server02   <none>           <none>
	kubia-8kv8d   1/1     Running   0          15h   10.44.0.3   server02   <none>           <none>
`));
  const rs = [
    runningPod('kubia-2xk54', '6m26s', { ready: true }),
    runningPod('kubia-bj4tz', '6m26s', { ready: false }),
    runningPod('kubia-hr9bx', '6m27s', { ready: false }),
  ];
  assert.equal(render('po', rs), seed(`
	NAME          READY   STATUS    RESTARTS   AGE
	kubia-2xk54   1/1     Running   0          6m26s
	kubia-bj4tz   0/1     Running   0          6m26s
	kubia-hr9bx   0/1     Running   0          6m27s
`));
});

test('get endpoints (seeds 000, 002): lists, cut after three', () => {
  const ep = (name: string, age: string, subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: meta(name, age), subsets });
  assert.equal(render('ep', [
    ep('kubernetes', '4h30m', [{ addresses: [{ ip: '192.168.99.100' }], ports: [{ name: 'https', port: 8443 }] }]),
    ep('mwish-bot', '3h59m', [{ addresses: [{ ip: '172.17.0.4' }, { ip: '172.17.0.5' }], ports: [{ port: 6379 }] }]),
    ep('mwish-bot-svc-redis', '4h11m', [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 6379 }] }]),
  ]), seed(`
NAME                  ENDPOINTS                           AGE
kubernetes            192.168.99.100:8443                 4h30m
mwish-bot             172.17.0.4:6379,172.17.0.5:6379     3h59m
mwish-bot-svc-redis   11.11.11.11:6379,22.22.22.22:6379   4h11m
`));
  const addrs = [{ ip: '10.44.0.1' }, { ip: '10.44.0.2' }, { ip: '10.44.0.3' }];
  assert.equal(render('endpoints', [ep('kubia', '16h', [{ addresses: addrs, ports: [{ name: 'https', port: 8443 }, { name: 'http', port: 8080 }] }])]), seed(`
	NAME    ENDPOINTS                                                  AGE
	kubia   10.44.0.1:8443,10.44.0.2:8443,10.44.0.3:8443 + 3 more...   16h
`));
  assert.equal(render('ep', [ep('empty', '5s', [])]), 'NAME    ENDPOINTS   AGE\nempty   <none>      5s\n');
});

test('get node -o wide (seeds 002, 004)', () => {
  assert.equal(render('no', [
    node('alpha', '2d18h', { role: 'master', version: 'v1.18.2', ip: '10.239.140.186', os: 'Ubuntu 18.04.4 LTS', kernel: '5.3.0-28-generic', runtime: 'docker://19.3.6' }),
    node('server02', '2d17h', { version: 'v1.18.2', ip: '10.239.140.200', os: 'Ubuntu 18.04.4 LTS', kernel: '4.15.0-76-generic', runtime: 'docker://19.3.6' }),
  ], { wide: true }), seed(`
	NAME       STATUS   ROLES    AGE     VERSION   INTERNAL-IP      EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME
	alpha      Ready    master   2d18h   v1.18.2   10.239.140.186   <none>        Ubuntu 18.04.4 LTS   5.3.0-28-generic    docker://19.3.6
	server02   Ready    <none>   2d17h   v1.18.2   10.239.140.200   <none>        Ubuntu 18.04.4 LTS   4.15.0-76-generic   docker://19.3.6
`));
  assert.equal(render('nodes', [
    node('aks-services-38564575-vmss000003', '4m56s', { role: 'agent', version: 'v1.21.9', ip: '10.224.0.4', os: 'Ubuntu 18.04.6 LTS', kernel: '5.4.0-1083-azure', runtime: 'containerd://1.4.13+azure-3' }),
    node('aks-workspaces-33629094-vmss000003', '5m10s', { role: 'agent', version: 'v1.21.9', ip: '10.224.0.5', os: 'Ubuntu 18.04.6 LTS', kernel: '5.4.0-1083-azure', runtime: 'containerd://1.4.13+azure-3' }),
  ], { wide: true }), seed(`
  NAME                                 STATUS   ROLES   AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME
  aks-services-38564575-vmss000003     Ready    agent   4m56s   v1.21.9   10.224.0.4    <none>        Ubuntu 18.04.6 LTS   5.4.0-1083-azure   containerd://1.4.13+azure-3
  aks-workspaces-33629094-vmss000003   Ready    agent   5m10s   v1.21.9   10.224.0.5    <none>        Ubuntu 18.04.6 LTS   5.4.0-1083-azure   containerd://1.4.13+azure-3
`));
});

test('get deployments.apps and get pods -o wide (seed 004)', () => {
  const deploy: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('hello-world', '5m50s'),
    spec: { replicas: 2, selector: { matchLabels: { app: 'hello-world' } }, template: { metadata: { labels: { app: 'hello-world' } }, spec: { containers: [{ name: 'hello-world', image: 'gcr.io/google-samples/hello-app:1.0' }] } } },
    status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
  assert.equal(render('deployments.apps', [deploy]), seed(`
  NAME          READY   UP-TO-DATE   AVAILABLE   AGE
  hello-world   2/2     2            2           5m50s
`));
  assert.equal(render('deploy', [deploy], { wide: true }), seed(`
  NAME          READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS    IMAGES                                SELECTOR
  hello-world   2/2     2            2           5m50s   hello-world   gcr.io/google-samples/hello-app:1.0   app=hello-world
`));
  const n = 'aks-services-38564575-vmss000003';
  assert.equal(render('pods', [
    runningPod('hello-world-54575d5b77-cp75f', '6m4s', { ip: '10.244.1.5', node: n }),
    runningPod('hello-world-54575d5b77-g24fm', '6m4s', { ip: '10.244.1.6', node: n }),
  ], { wide: true }), seed(`
  NAME                           READY   STATUS    RESTARTS   AGE    IP           NODE                               NOMINATED NODE   READINESS GATES
  hello-world-54575d5b77-cp75f   1/1     Running   0          6m4s   10.244.1.5   aks-services-38564575-vmss000003   <none>           <none>
  hello-world-54575d5b77-g24fm   1/1     Running   0          6m4s   10.244.1.6   aks-services-38564575-vmss000003   <none>           <none>
`));
});

test('get ingress (seed 002): class <none>, several hosts, empty address', () => {
  const ing: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('kubia', '3s'),
    spec: { rules: [{ host: 'kubia.example.com' }, { host: 'bar.example.com' }] }, status: { loadBalancer: {} },
  };
  assert.equal(render('ing', [ing]), seed(`
	NAME    CLASS    HOSTS                               ADDRESS   PORTS   AGE
	kubia   <none>   kubia.example.com,bar.example.com             80      3s
`));
});

test('renderTable options: -A, --no-headers, get all kind prefix, -L, empty list', () => {
  const pods = [runningPod('web-1', '5s', { labels: { app: 'web', tier: 'fe' } }), runningPod('dns-1', '2d', { ns: 'kube-system', labels: { app: 'dns' } })];
  assert.equal(render('pods', pods, { withNamespace: true }), seed(`
    NAMESPACE     NAME    READY   STATUS    RESTARTS   AGE
    default       web-1   1/1     Running   0          5s
    kube-system   dns-1   1/1     Running   0          2d
`));
  assert.equal(render('pods', pods, { noHeaders: true }), 'web-1   1/1   Running   0     5s\ndns-1   1/1   Running   0     2d\n');
  assert.equal(render('pods', pods.slice(0, 1), { withKind: 'pod' }), seed(`
    NAME        READY   STATUS    RESTARTS   AGE
    pod/web-1   1/1     Running   0          5s
`));
  assert.equal(render('pods', pods, { labelColumns: ['app.kubernetes.io/tier', 'tier'] }), seed(`
    NAME    READY   STATUS    RESTARTS   AGE   TIER   TIER
    web-1   1/1     Running   0          5s           fe
    dns-1   1/1     Running   0          2d           
`));
  assert.equal(render('pods', []), '');
});

test('toTable: Table shape the API server sends', () => {
  const t = toTable(R.services, [kubernetes('5h')], { now: NOW });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority, c.format]), [
    ['Name', 0, 'name'], ['Type', 0, ''], ['Cluster-IP', 0, ''], ['External-IP', 0, ''], ['Port(s)', 0, ''], ['Age', 0, ''], ['Selector', 1, ''],
  ]);
  assert.deepEqual(t.rows[0]!.cells, ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '5h', '<none>']);
  assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: kubernetes('5h').metadata });
  assert.equal(toTable(R.services, [kubernetes('5h')], { includeObject: 'None' }).rows[0]!.object, null);
  assert.equal((toTable(R.services, [kubernetes('5h')], { includeObject: 'Object' }).rows[0]!.object as KubeObject).kind, 'Service');
  assert.equal(ago('1h'), '2024-05-01T11:00:00Z');
});

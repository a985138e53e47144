// Table tests of the pure mapping between mk's runtime contract and Docker's API shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BugError } from '../lib/errors.ts';
import {
  labelFilters, loadedImages, progressError, subnetsOf, toCreateOptions, toExecCreateOptions, toImageSummary, toLogsQuery,
  toNetworkCreateOptions, toRuntimeEvent, toState, toSummary, toVolumeCreateOptions,
} from './translate.ts';
import type { DockerEventSubset, DockerInspectSubset } from './translate.ts';
import type { ContainerSpec } from './types.ts';
import { LABELS } from './labels.ts';

const base: ContainerSpec = { name: 'c', image: 'img:1', labels: { 'mk.cluster': 'mk' } };

test('toCreateOptions maps a ContainerSpec to Docker create options', async (t) => {
  const cases: Array<{ name: string; spec: ContainerSpec; want: object }> = [
    {
      name: 'minimal',
      spec: base,
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, HostConfig: {} },
    },
    {
      name: 'node container: network with a fixed IP, mounts, privileged, published API port, restart',
      spec: {
        ...base, name: 'mk', hostname: 'mk', cmd: ['node', 'agent.js'], entrypoint: ['/init'],
        env: { B: '2', A: '1=x' }, workingDir: '/opt/mk',
        network: { name: 'mk-mk', ip: '10.244.0.2' },
        mounts: [
          { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' },
          { type: 'volume', source: 'mk-data', target: '/var/lib/mk', readOnly: true },
        ],
        privileged: true, capAdd: ['NET_ADMIN'],
        publish: [{ containerPort: 6443, hostIp: '127.0.0.1' }, { containerPort: 53, hostPort: 1053, hostIp: '127.0.0.1', protocol: 'udp' }],
        restart: 'unless-stopped', dns: ['10.96.0.10'], extraHosts: ['mk:10.244.0.2'], init: true, user: '0:0', stopSignal: 'SIGINT',
      },
      want: {
        name: 'mk', Image: 'img:1', Labels: { 'mk.cluster': 'mk' },
        Cmd: ['node', 'agent.js'], Entrypoint: ['/init'], Env: ['B=2', 'A=1=x'], WorkingDir: '/opt/mk', Hostname: 'mk',
        User: '0:0', StopSignal: 'SIGINT',
        NetworkingConfig: { EndpointsConfig: { 'mk-mk': { IPAMConfig: { IPv4Address: '10.244.0.2' } } } },
        ExposedPorts: { '6443/tcp': {}, '53/udp': {} },
        HostConfig: {
          NetworkMode: 'mk-mk',
          Mounts: [
            { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', ReadOnly: false },
            { Type: 'volume', Source: 'mk-data', Target: '/var/lib/mk', ReadOnly: true },
          ],
          Privileged: true, CapAdd: ['NET_ADMIN'],
          PortBindings: { '6443/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '1053' }] },
          RestartPolicy: { Name: 'unless-stopped' }, Dns: ['10.96.0.10'], ExtraHosts: ['mk:10.244.0.2'], Init: true,
        },
      },
    },
    {
      name: 'network without an IP leaves IPAM to Docker',
      spec: { ...base, network: { name: 'mk-mk' } },
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, NetworkingConfig: { EndpointsConfig: { 'mk-mk': {} } }, HostConfig: { NetworkMode: 'mk-mk' } },
    },
    {
      name: 'app container joined to its sandbox, interactive',
      spec: { ...base, network: { containerOf: 'abc123' }, tty: true, openStdin: true },
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, Tty: true, OpenStdin: true, AttachStdin: true, HostConfig: { NetworkMode: 'container:abc123' } },
    },
    {
      name: 'stdin closed after the first attach (kubectl run -i)',
      spec: { ...base, openStdin: true, stdinOnce: true },
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, OpenStdin: true, AttachStdin: true, StdinOnce: true, HostConfig: {} },
    },
    {
      name: 'stdinOnce means nothing without stdin',
      spec: { ...base, stdinOnce: true },
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, HostConfig: {} },
    },
    {
      name: 'empty lists are left out',
      spec: { ...base, mounts: [], capAdd: [], publish: [] },
      want: { name: 'c', Image: 'img:1', Labels: { 'mk.cluster': 'mk' }, HostConfig: {} },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(toCreateOptions(c.spec), c.want));
  }
});

test('toCreateOptions refuses what Docker would refuse', async (t) => {
  const cases: Array<{ name: string; spec: ContainerSpec; message: RegExp }> = [
    { name: 'hostname in a joined namespace', spec: { ...base, network: { containerOf: 'x' }, hostname: 'h' }, message: /hostname cannot be set/ },
    { name: 'publish + dns in a joined namespace', spec: { ...base, network: { containerOf: 'x' }, publish: [], dns: [] }, message: /publish, dns cannot be set/ },
    { name: 'port out of range', spec: { ...base, publish: [{ containerPort: 70000, hostIp: '127.0.0.1' }] }, message: /70000 is not a port/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.throws(() => toCreateOptions(c.spec), (e: unknown) => e instanceof BugError && c.message.test(e.message)));
  }
});

test('labelFilters', () => {
  assert.deepEqual(labelFilters({ 'mk.cluster': 'p', 'mk.role': 'worker' }), { label: ['mk.cluster=p', 'mk.role=worker'] });
  assert.deepEqual(labelFilters({}), { label: [] });
});

test('toNetworkCreateOptions', async (t) => {
  const cases = [
    {
      name: 'without ip range',
      in: { name: 'mk-p', subnet: '10.244.0.0/16', gateway: '10.244.0.1', labels: { 'mk.cluster': 'p' } },
      config: { Subnet: '10.244.0.0/16', Gateway: '10.244.0.1' },
    },
    {
      name: 'with ip range',
      in: { name: 'mk-p', subnet: '10.244.0.0/16', gateway: '10.244.0.1', ipRange: '10.244.0.0/24', labels: { 'mk.cluster': 'p' } },
      config: { Subnet: '10.244.0.0/16', Gateway: '10.244.0.1', IPRange: '10.244.0.0/24' },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(toNetworkCreateOptions(c.in), {
      Name: 'mk-p', Driver: 'bridge', CheckDuplicate: true, IPAM: { Driver: 'default', Config: [c.config] },
      Options: { 'com.docker.network.bridge.enable_ip_masquerade': 'true' }, Labels: { 'mk.cluster': 'p' },
    }));
  }
});

test('subnetsOf collects every configured subnet', () => {
  assert.deepEqual(subnetsOf([
    { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } },
    { Name: 'host', IPAM: { Config: [] } },
    { Name: 'none', IPAM: { Config: null } },
    { Name: 'odd', IPAM: null },
    { Name: 'mk-a', IPAM: { Config: [{ Subnet: '10.244.0.0/16' }, { Subnet: 'fd00::/64' }] } },
  ]), ['172.17.0.0/16', '10.244.0.0/16', 'fd00::/64']);
});

test('toSummary', () => {
  assert.deepEqual(toSummary({ Id: 'abc', Names: ['/mk-m02'], Image: 'mk-node:0.1.0', Labels: null, State: 'exited', Status: 'Exited (0) 2 minutes ago', Created: 1700000000 }), {
    id: 'abc', name: 'mk-m02', image: 'mk-node:0.1.0', labels: {}, state: 'exited', status: 'Exited (0) 2 minutes ago', createdAt: new Date('2023-11-14T22:13:20Z'),
  });
});

const inspect = (over: Partial<DockerInspectSubset['State']>, net: DockerInspectSubset['NetworkSettings']): DockerInspectSubset => ({
  Id: 'abc', Name: '/pod-x', Image: 'sha256:123',
  State: { Status: 'running', Running: true, OOMKilled: false, Pid: 42, ExitCode: 0, Error: '', StartedAt: '2024-05-01T10:00:00.123456789Z', FinishedAt: '0001-01-01T00:00:00Z', ...over },
  Config: { Image: 'redis:7', Labels: { [LABELS.podName]: 'x' }, Tty: false },
  NetworkSettings: net,
});

test('toState', async (t) => {
  const cases = [
    {
      name: 'running, on a network, with a published port picked by Docker',
      in: inspect({}, { Networks: { 'mk-p': { IPAddress: '10.244.1.5' } }, Ports: { '6443/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }], '80/tcp': null } }),
      want: {
        status: 'running', running: true, exitCode: 0, pid: 42, startedAt: new Date('2024-05-01T10:00:00.123Z'), finishedAt: null,
        ips: { 'mk-p': '10.244.1.5' }, publishedPorts: [{ containerPort: 6443, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }],
      },
    },
    {
      name: 'exited after a joined namespace (no networks of its own)',
      in: inspect({ Status: 'exited', Running: false, ExitCode: 3, Pid: 0, FinishedAt: '2024-05-01T10:00:05Z' }, { Networks: {}, Ports: null }),
      want: { status: 'exited', running: false, exitCode: 3, pid: 0, startedAt: new Date('2024-05-01T10:00:00.123Z'), finishedAt: new Date('2024-05-01T10:00:05Z'), ips: {}, publishedPorts: [] },
    },
    {
      name: 'never started: executable not found',
      in: inspect({ Status: 'created', Running: false, ExitCode: 127, Pid: 0, StartedAt: '0001-01-01T00:00:00Z', Error: 'exec: "nope": executable file not found in $PATH' }, {}),
      want: { status: 'created', running: false, exitCode: 127, pid: 0, startedAt: null, finishedAt: null, ips: {}, publishedPorts: [] },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const s = toState(c.in);
      assert.deepEqual(
        { status: s.status, running: s.running, exitCode: s.exitCode, pid: s.pid, startedAt: s.startedAt, finishedAt: s.finishedAt, ips: s.ips, publishedPorts: s.publishedPorts },
        c.want,
      );
      assert.equal(s.name, 'pod-x');
      assert.equal(s.image, 'redis:7');
      assert.equal(s.imageId, 'sha256:123');
      assert.equal(s.error, c.in.State.Error);
      assert.deepEqual(s.labels, { 'mk.pod-name': 'x' });
    });
  }
});

test('toState reads the mounts: a volume by name and its mountpoint, a bind by its host path', () => {
  const s = toState({
    ...inspect({}, {}),
    Mounts: [
      { Type: 'volume', Name: 'mk-p', Source: '/var/lib/docker/volumes/mk-p/_data', Destination: '/var/lib/mk' },
      { Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' },
    ],
  });
  assert.deepEqual(s.mounts, [
    { type: 'volume', name: 'mk-p', source: '/var/lib/docker/volumes/mk-p/_data', destination: '/var/lib/mk' },
    { type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock' },
  ]);
  assert.deepEqual(toState(inspect({}, {})).mounts, []);
});

test('toVolumeCreateOptions: a plain volume, a tmpfs and an engine-side bind through the local driver', async (t) => {
  const cases = [
    { name: 'plain', o: {}, want: { Name: 'v', Labels: { 'mk.cluster': 'mk' } } },
    {
      name: 'tmpfs', o: { driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } },
      want: { Name: 'v', Labels: { 'mk.cluster': 'mk' }, Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } },
    },
    {
      name: 'bind', o: { driverOpts: { type: 'none', o: 'bind', device: '/var/lib/docker/volumes/mk/_data/x' } },
      want: { Name: 'v', Labels: { 'mk.cluster': 'mk' }, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device: '/var/lib/docker/volumes/mk/_data/x' } },
    },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(toVolumeCreateOptions('v', { 'mk.cluster': 'mk' }, c.o), c.want));
});

test('toImageSummary drops untagged names', () => {
  assert.deepEqual(toImageSummary({ Id: 'sha256:1', RepoTags: ['<none>:<none>'], Size: 10, Created: 0, Labels: null }), { id: 'sha256:1', tags: [], size: 10, createdAt: new Date(0), labels: {} });
  assert.deepEqual(toImageSummary({ Id: 'sha256:2', RepoTags: ['a:1', 'b:2'], Size: 1, Created: 1, Labels: { k: 'v' } }).tags, ['a:1', 'b:2']);
});

test('toExecCreateOptions', async (t) => {
  const cases = [
    { name: 'plain', cmd: ['ls'], o: {}, want: { Cmd: ['ls'], AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false } },
    {
      name: 'interactive terminal with env',
      cmd: ['sh'], o: { tty: true, stdin: true, env: ['TERM=xterm'], workingDir: '/w', user: '1000' },
      want: { Cmd: ['sh'], AttachStdout: true, AttachStderr: true, AttachStdin: true, Tty: true, Env: ['TERM=xterm'], WorkingDir: '/w', User: '1000' },
    },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(toExecCreateOptions(c.cmd, c.o), c.want));
  await t.test('empty command', () => assert.throws(() => toExecCreateOptions([]), BugError));
});

test('toLogsQuery', async (t) => {
  const cases = [
    { name: 'defaults', o: undefined, want: { stdout: true, stderr: true, follow: false, timestamps: false } },
    { name: 'follow, tail, timestamps, since', o: { follow: true, tail: 10, timestamps: true, since: 1700000000.7 }, want: { stdout: true, stderr: true, follow: true, timestamps: true, tail: 10, since: 1700000000 } },
    { name: 'tail 0 is kept, negative tail means all', o: { tail: 0 }, want: { stdout: true, stderr: true, follow: false, timestamps: false, tail: 0 } },
    { name: 'negative tail means all', o: { tail: -1 }, want: { stdout: true, stderr: true, follow: false, timestamps: false } },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(toLogsQuery(c.o), c.want));
});

test('progressError finds the first error of a build or pull stream', async (t) => {
  const cases = [
    { name: 'clean build', events: [{ stream: 'Step 1/2 : FROM scratch\n' }, { aux: { ID: 'sha256:1' } }], want: undefined },
    { name: 'error field', events: [{ stream: 'Step 1/2\n' }, { errorDetail: { message: 'x' }, error: 'COPY failed: no source files\n' }], want: 'COPY failed: no source files' },
    { name: 'errorDetail only', events: [{ errorDetail: { code: 1, message: 'pull access denied' } }], want: 'pull access denied' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(progressError(c.events), c.want));
});

test('toRuntimeEvent', async (t) => {
  const keys = Object.values(LABELS);
  const cases: Array<{ name: string; in: DockerEventSubset; want: object }> = [
    {
      name: 'die with exit code and labels',
      in: { Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { exitCode: '137', name: 'x', 'mk.pod-uid': 'u1', other: 'o' } }, time: 1, timeNano: 1500000000 },
      want: { action: 'die', id: 'abc', labels: { 'mk.pod-uid': 'u1' }, exitCode: 137, time: new Date(1500) },
    },
    {
      name: 'exec actions lose their command',
      in: { Type: 'container', Action: 'exec_start: sh -c ls', Actor: { ID: 'abc', Attributes: {} }, time: 2 },
      want: { action: 'exec_start', id: 'abc', labels: {}, time: new Date(2000) },
    },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(toRuntimeEvent(c.in, keys), c.want));
  await t.test('network events are not container events', () => assert.equal(toRuntimeEvent({ Type: 'network', Action: 'connect' }, keys), undefined));
});

test('loadedImages reads what an image load reports', async (t) => {
  const cases = [
    { name: 'tagged', events: [{ stream: 'Loaded image: busybox:latest\n' }], want: ['busybox:latest'] },
    { name: 'several tags in one line batch', events: [{ stream: 'Loaded image: a:1\nLoaded image: localhost:5000/b:2\n' }], want: ['a:1', 'localhost:5000/b:2'] },
    { name: 'untagged: the id', events: [{ stream: 'Loaded image ID: sha256:abc\n' }], want: ['sha256:abc'] },
    { name: 'progress lines and repeats are ignored', events: [{ status: 'Loading layer', progress: '[==>]' }, { stream: 'Loaded image: a:1\n' }, { stream: 'Loaded image: a:1\n' }], want: ['a:1'] },
    { name: 'nothing loaded', events: [{ errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' }], want: [] },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(loadedImages(c.events), c.want));
});

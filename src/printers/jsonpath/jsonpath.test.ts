// `mk get -o jsonpath…|custom-columns…` against real kubectl (the oracle) on the same in-process
// API server: Services, Pods with statuses and Nodes with addresses; stdout, stderr and the
// exit code must match byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGetFixture } from '../../../test/cli-get/harness.ts';
import type { GetFixture, Run } from '../../../test/cli-get/harness.ts';

let f: GetFixture;
before(async () => {
  f = await startGetFixture();
  writeFileSync(join(f.home, 'names.jsonpath'), '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}');
  writeFileSync(join(f.home, 'columns.txt'), 'NAME      IP    READY\nmetadata.name   {.status.podIP}   .status.containerStatuses[*].ready\n');
  writeFileSync(join(f.home, 'one-line.txt'), 'NAME IP\n');
  writeFileSync(join(f.home, 'mismatch.txt'), 'NAME IP\n.metadata.name\n');
});
after(async () => {
  await f?.close();
});

interface Case {
  args: string[];
  o: string;
  /** --allow-missing-template-keys=false */
  strict?: boolean;
  noHeaders?: boolean;
  /** Go walks maps in random order: compare the space-separated words sorted. */
  unordered?: boolean;
  minor?: number;
}

const J = (args: string[], tpl: string, extra: Partial<Case> = {}): Case => ({ args, o: `jsonpath=${tpl}`, ...extra });

const CASES: Case[] = [
  // fields, lists, indexes and slices
  J(['svc'], '{.items[*].metadata.name}'),
  J(['svc', 'web'], '{.metadata.name}'),
  J(['svc/web'], '{.spec.ports[*].port}'),
  J(['svc', 'web'], '{.spec.ports[0].name}'),
  J(['svc', 'web'], '{.spec.ports[-1].targetPort}'),
  J(['pods'], '{.items[0:2].metadata.name}'),
  J(['pods'], '{.items[1:].metadata.name}'),
  J(['pods'], '{.items[::2].metadata.name}'),
  J(['pods'], '{.items[0:0].metadata.name}'),
  J(['svc'], '{.items[0,2].metadata.name}'),
  J(['svc', 'web'], "{.metadata['name','namespace']}"),
  J(['svc', 'web'], "{['kind']}"),
  J(['svc', 'web'], '{.kind}/{.metadata.name}'),
  J(['svc', 'web'], 'plain text, no braces'),
  J(['svc', 'web'], '{@.metadata.name} {$.kind}'),
  J(['svc'], '{.kind} {.apiVersion} {.metadata}'),
  // maps and arrays print as JSON (sorted keys, HTML-safe)
  J(['svc', 'web'], '{.spec.ports}'),
  J(['svc', 'web'], '{.spec.selector}'),
  J(['pod', 'kubia-0'], '{.metadata.annotations}'),
  J(['pod', 'kubia-0'], '{.spec.containers[1].args}'),
  J(['pod', 'kubia-0'], '{.spec.containers[*].resources}'),
  J(['svc', 'web'], '{.status}'),
  // several expressions and string literals
  J(['pods'], '{.items[0].metadata.name}{"\\t"}{.items[0].status.podIP}{"\\n"}'),
  J(['pods'], "{.items[*].metadata.name}{'\\n'}"),
  J(['pods'], '{"a\\"b"}{\'c\'}{"\\u00e9\\x41"}'),
  J(['svc', 'web'], '{.spec.ports[0].port} {.spec.ports[0].port}'),
  J(['svc', 'web'], '{1}{true}{.metadata.name}'),
  // range
  J(['pods'], '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'),
  J(['pods'], '{range .items[*]}[{.metadata.name}: {range .spec.containers[*]}{.name}={.image} {end}]{end}'),
  J(['nodes'], '{range .items[*]}{.metadata.name}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}'),
  J(['deploy'], '{range .items[*]}{.metadata.name}{"\\n"}{end}'),
  J(['pods'], '{range .items[*]}{.metadata.name}{","}'),
  J(['pods'], '{range .items[*]}{.spec.nodeName}{end}{.kind}'),
  // filters
  J(['nodes'], '{.items[*].status.addresses[?(@.type=="InternalIP")].address}'),
  J(['nodes'], "{.items[*].status.addresses[?(@.type!='InternalIP')].address}"),
  J(['pods'], '{.items[?(@.status.phase=="Running")].metadata.name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount>0)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount>=3)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount<3)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount<=1)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.ready==true)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.state.waiting)].state.waiting.reason}'),
  J(['pod', 'kubia-1'], '{.spec.containers[?(@.ports)].name}'),
  J(['pod', 'kubia-1'], '{.spec.containers[?(@.name<"s")].name}'),
  J(['pods'], '{.items[*].status.conditions[?(@.type=="Ready")].status}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount>"1")].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.restartCount>1.5)].name}'),
  J(['pod', 'kubia-1'], '{.status.containerStatuses[?(@.name=1)].name}'),
  J(['pod', 'kubia-1'], '{.status[?(@.x)]}'),
  // recursive descent and wildcards
  J(['pod', 'kubia-0'], '{..image}', { unordered: true }),
  J(['pod', 'kubia-0'], '{..containerPort}'),
  J(['nodes'], '{..addresses[0].address}', { unordered: true }),
  J(['svc', 'web'], '{.spec.ports[*].*}', { unordered: true }),
  J(['svc', 'web'], '{.metadata.labels.*}'),
  J(['svc', 'web'], '{.kind.*}'),
  J(['svc', 'web'], '{.kind[*]}'),
  J(['svc', 'web'], '{.kind..a}'),
  J(['nodes'], '{.items[*].metadata.labels.kubernetes\\.io/hostname}'),
  // missing keys
  J(['svc', 'web'], '{.spec.foo}'),
  J(['svc', 'web'], 'x{.spec.foo.bar}y{.nope[0]}z'),
  J(['svc', 'web'], '{.spec.foo}', { strict: true }),
  J(['svc', 'web'], '{.metadata.name}', { strict: true }),
  J(['svc'], '{.items[*].spec.externalName}', { strict: true }),
  J(['svc'], '{.}'),
  // execution errors
  J(['svc', 'kubia'], '{.spec.ports[2]}'),
  J(['svc', 'kubia'], '{.spec.ports[-3]}'),
  J(['svc', 'kubia'], '{.spec[0]}'),
  J(['svc', 'kubia'], '{.metadata.name[0]}'),
  J(['svc', 'kubia'], '{.spec.ports[1:0]}'),
  J(['svc', 'kubia'], '{.spec.ports[0:1:0]}'),
  J(['svc', 'kubia'], '{.spec[?(@.x)]}'),
  J(['svc', 'kubia'], '{.spec.ports[?(@.port==@.port)].port}'),
  J(['svc', 'kubia'], '{end}'),
  J(['svc', 'kubia'], '{metadata.name}'),
  J(['deploy'], '{.items[0]}'),
  // parse errors
  J(['svc'], '{.a'),
  J(['svc'], '{.a[0}'),
  J(['svc'], '{.a[x]}'),
  J(['svc'], '{.a[?(@.b=="c"}'),
  J(['svc'], '{"abc}'),
  J(['svc'], '{..a..b}'),
  J(['svc'], '{.a!}'),
  J(['svc'], '{.a[1:2:3:4]}'),
  J(['svc'], '{"\\q"}'),
  J(['svc'], '{.a}{'),
  // other forms of the option
  { args: ['svc'], o: 'jsonpath' },
  { args: ['svc'], o: 'jsonpath=' },
  { args: ['pods'], o: 'jsonpath-as-json={.items[*].metadata.name}{"\\n"}{.items[0].spec.containers[0].ports}' },
  { args: ['svc', 'web'], o: 'jsonpath-as-json={.spec.nope}' },
  { args: ['pods'], o: 'jsonpath-file=HOME/names.jsonpath' },
  { args: ['pods'], o: 'jsonpath-file=HOME/nope.jsonpath' },
  // objects that are not there
  J(['svc', 'nope'], '{.kind}'),
  J(['svc', 'nope', 'kubia'], '{.kind}'),
  J(['svc', 'kubia', 'web'], '{.kind}: {.items[*].metadata.name}'),
  J(['svc,nodes'], '{.items[*].kind}'),
  // custom columns
  { args: ['pods'], o: 'custom-columns=NAME:.metadata.name,IP:.status.podIP,NODE:spec.nodeName,PORTS:{.spec.containers[*].ports[*].containerPort}' },
  { args: ['svc'], o: 'custom-columns=NAME:.metadata.name,LABELS:.metadata.labels,IPS:.spec.clusterIPs,EXT:.spec.externalName' },
  { args: ['svc', 'web'], o: 'custom-columns=N:{metadata.name},PORT:.spec.ports[?(@.name=="https")].port' },
  { args: ['nodes'], o: 'custom-columns=NODE:.metadata.name,ADDR:.status.addresses[*].address,CPU:.status.capacity.cpu' },
  { args: ['pods'], o: 'custom-columns=NAME:.metadata.name,READY:.status.containerStatuses[*].ready,RESTARTS:.status.containerStatuses[*].restartCount', noHeaders: true },
  { args: ['deploy'], o: 'custom-columns=NAME:.metadata.name' },
  { args: ['svc'], o: 'custom-columns=N:.metadata.name,P:.spec.ports[1].port' },
  { args: ['svc'], o: 'custom-columns=N:.metadata.name,P:.spec.ports[1' },
  { args: ['svc'], o: 'custom-columns=N:.metadata.name,:.kind,X:' },
  { args: ['svc'], o: 'custom-columns' },
  { args: ['svc'], o: 'custom-columns=N' },
  { args: ['svc'], o: 'custom-columns=N:{.a' },
  { args: ['svc', 'nope'], o: 'custom-columns=N:.metadata.name' },
  { args: ['pods'], o: 'custom-columns-file=HOME/columns.txt' },
  { args: ['pods'], o: 'custom-columns-file=HOME/columns.txt', noHeaders: true },
  { args: ['pods'], o: 'custom-columns-file=HOME/one-line.txt' },
  { args: ['pods'], o: 'custom-columns-file=HOME/mismatch.txt' },
  { args: ['pods'], o: 'custom-columns-file=HOME/nope.txt' },
  // the oldest kubectl we support prints the same
  J(['nodes'], '{range .items[*]}{.metadata.name}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}', { minor: 27 }),
  J(['svc', 'kubia'], '{.spec.ports[2]}', { minor: 27 }),
  { args: ['pods'], o: 'custom-columns=NAME:.metadata.name,IP:.status.podIP', minor: 27 },
];

const sortWords = (r: Run): Run => ({ ...r, stdout: r.stdout.split(' ').sort().join(' ') });

test('mk get -o jsonpath/custom-columns prints what kubectl prints', async (t) => {
  for (const c of CASES) {
    const o = c.o.replace('HOME', f.home);
    const flags = [...(c.strict ? ['--allow-missing-template-keys=false'] : []), ...(c.noHeaders ? ['--no-headers'] : [])];
    await t.test(`${c.args.join(' ')} -o ${c.o} ${flags.join(' ')}`, async () => {
      let want = await f.kubectl(['get', ...c.args, '-o', o, ...flags], c.minor);
      let got = await f.mk(c.args, { output: o, allowMissingTemplateKeys: !c.strict, noHeaders: c.noHeaders });
      if (c.unordered) [want, got] = [sortWords(want), sortWords(got)];
      assert.deepEqual(got, want);
    });
  }
});

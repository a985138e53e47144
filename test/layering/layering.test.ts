// The rooms of mk and the arrows allowed between them (README "Layout"), checked on every
// source file: a rule that nothing checks decays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, importsOf, RULES } from './rules.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');

function sources(dir: string, out: Array<{ path: string; source: string }> = []) {
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) sources(p, out);
    // tests and their helpers may reach into any room they test
    else if (/\.tsx?$/.test(name) && !/\.test(-helper)?\.tsx?$/.test(name)) out.push({ path: relative('.', p), source: readFileSync(join(ROOT, p), 'utf8') });
  }
  return out;
}

test('every import of commands/ and src/ keeps to the layering', () => {
  const files = [...sources('commands'), ...sources('src')];
  assert.ok(files.length > 250, `read ${files.length} files`);
  const broken = check(files).map((v) => `${v.file}:${v.line} imports ${v.specifier}: ${v.rule} (${v.why})`);
  assert.deepEqual(broken, []);
});

test('each rule catches the import it is there for, and lets the allowed ones through', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['commands/ip.ts', "const { dockerRuntime } = await import('../src/runtime/index.ts');", 'commands parse, call and render'],
    ['commands/get.ts', "import { Store } from '../src/store/index.ts';", 'commands parse, call and render'],
    ['commands/stop.ts', "import { stopCluster } from '../src/cluster/lifecycle.ts';", 'commands parse, call and render'],
    ['commands/stop.ts', "const { Cluster } = await import('../src/cluster/index.ts');", undefined],
    ['src/cli/status.ts', "import { clusterStatus } from '../cluster/status.ts';", 'src/cluster has one public face'],
    ['src/cluster/status.ts', "import { findNodes } from './nodes.ts';", undefined],
    ['src/agent/proxy/fetch.ts', "import { findNodes } from '../../cluster/index.ts';", 'the agent runs inside a node'],
    ['src/agent/kubelet/x.ts', "export { say } from '../../cli/style.ts';", 'the agent runs inside a node'],
    ['src/agent/kubelet/x.ts', "import type { Runtime } from '../../runtime/types.ts';", undefined],
    ['src/controllers/gc.ts', "import type { Store } from '../store/index.ts';", 'controllers work through the API'],
    ['src/store/store.ts', "import { BugError } from '../lib/errors.ts';", 'the store knows only the API\'s types'],
    ['src/store/store.ts', "import { R } from '../api/resources.ts';", 'the store knows only the API\'s types'],
    ['src/store/store.ts', "import type { KubeObject } from '../api/types.ts';", undefined],
    ['src/ui/progress.ts', "import { KubeClient } from '../client/index.ts';", 'the UI only draws'],
    ['src/dashboard/server/feed.ts', "import { Cluster } from '../../cluster/index.ts';", 'the dashboard reads the cluster through the API'],
    ['src/dashboard/server/feed.ts', "import { Informer } from '../../client/informer.ts';", undefined],
    ['src/dashboard/web/App.tsx', "import { buildGraph } from '../model/graph.ts';", 'the dashboard\'s page runs in the browser'],
    ['src/dashboard/web/App.tsx', "import type { Graph } from '../model/graph.ts';", undefined],
    ['src/api/labels.ts', "import { goQuote } from '../printers/jsonpath/gofmt.ts';", 'the API vocabulary is the base'],
    ['src/lib/output.ts', "import { R } from '../api/resources.ts';", 'lib is below everything'],
  ];
  for (const [path, source, rule] of cases) {
    const got = check([{ path, source }]).map((v) => v.rule);
    assert.deepEqual(got, rule ? [rule] : [], `${path}: ${source}`);
  }
});

test('imports are read in every form: static, type-only, re-export, side effect, dynamic', () => {
  const src = [
    "import a from './a.ts';",
    "import type { B } from '../b.ts';",
    "export { c } from './c/index.ts';",
    "import './d.ts';",
    "const e = await import('../../e.ts');",
    "import { x } from 'node:fs';",
  ].join('\n');
  assert.deepEqual(importsOf('src/x/y.ts', src).map((i) => [i.target, i.typeOnly, i.line]), [
    ['src/x/a.ts', false, 1], ['src/b.ts', true, 2], ['src/x/c/index.ts', false, 3], ['src/x/d.ts', false, 4], ['e.ts', false, 5],
  ]);
  assert.equal(RULES.length, 10);
});

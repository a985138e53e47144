// The layering the README draws, as data, and the checker that reads a file's imports against
// it (in the manner of Shopify CLI's import rules). A rule names the room it applies to, the
// imports it forbids there, and why; `check` returns every import that breaks one.
import { dirname, join, normalize } from 'node:path';

export interface Rule {
  name: string;
  /** the files the rule applies to (repository-relative path prefix) */
  from: string;
  /** true when the import (repository-relative target path) breaks the rule */
  forbids(target: string, typeOnly: boolean): boolean;
  why: string;
}

const under = (...rooms: string[]) => (t: string) => rooms.some((r) => t.startsWith(r));

export const RULES: Rule[] = [
  {
    name: 'commands parse, call and render',
    from: 'commands/',
    forbids: (t) => under('src/runtime/', 'src/store/')(t) || (t.startsWith('src/cluster/') && t !== 'src/cluster/index.ts'),
    why: 'a command reaches Docker and the cluster only through src/cluster\'s Cluster, and objects only through the API',
  },
  {
    name: 'src/cluster has one public face',
    from: 'src/',
    forbids: (t) => t.startsWith('src/cluster/') && t !== 'src/cluster/index.ts',
    why: 'outside src/cluster, only src/cluster/index.ts is imported (its Cluster object and the few names it exports)',
  },
  {
    name: 'the agent runs inside a node',
    from: 'src/agent/',
    forbids: under('src/cluster/', 'src/cli/', 'src/ui/', 'commands/'),
    why: 'code in src/agent runs in a node container; the host\'s lifecycle and CLI are not there',
  },
  {
    name: 'controllers work through the API',
    from: 'src/controllers/',
    forbids: under('src/store/', 'src/apiserver/'),
    why: 'controllers read and write objects through src/client, as Kubernetes controllers do',
  },
  {
    name: 'the store knows only the API\'s types',
    from: 'src/store/',
    forbids: (t, typeOnly) => !t.startsWith('src/store/') && !(typeOnly && t.startsWith('src/api/')),
    why: 'the store keeps bytes by key and revision; it imports nothing but type declarations of src/api',
  },
  {
    name: 'the UI only draws',
    from: 'src/ui/',
    forbids: under('src/client/', 'src/runtime/', 'src/store/'),
    why: 'src/ui (ink) renders what it is given; it fetches nothing',
  },
  {
    name: 'the dashboard reads the cluster through the API',
    from: 'src/dashboard/',
    forbids: under('src/cluster/', 'src/runtime/', 'src/store/', 'src/apiserver/'),
    why: 'src/dashboard follows the API with informers; the node agents\' counters come from the caller (src/cli, through the Cluster)',
  },
  {
    name: 'the dashboard\'s page runs in the browser',
    from: 'src/dashboard/web/',
    forbids: (t, typeOnly) => !t.startsWith('src/dashboard/web/') && !typeOnly,
    why: 'src/dashboard/web is bundled for the browser: it shares only type declarations with the rest of mk',
  },
  {
    name: 'the API vocabulary is the base',
    from: 'src/api/',
    forbids: (t) => t.startsWith('src/') && !under('src/api/', 'src/lib/')(t),
    why: 'src/api (kinds, labels, status, addresses) is read by every room and reads none of them',
  },
  {
    name: 'lib is below everything',
    from: 'src/lib/',
    forbids: (t) => t.startsWith('src/') && !t.startsWith('src/lib/'),
    why: 'src/lib (errors, output, spdy, go-quote) depends on no room of mk',
  },
];

export interface Import { specifier: string; target: string; typeOnly: boolean; line: number }

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative imports of a file (static, re-exports, side-effect and dynamic import()). */
export function importsOf(path: string, source: string): Import[] {
  const out: Import[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4] ?? m[5]!;
    if (!specifier.startsWith('.')) continue;
    const line = source.slice(0, m.index! + m[0].length).split('\n').length;
    out.push({ specifier, target: normalize(join(dirname(path), specifier)), typeOnly: m[2] !== undefined, line });
  }
  return out;
}

export interface Violation { file: string; line: number; specifier: string; rule: string; why: string }

export function check(files: Array<{ path: string; source: string }>): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    for (const imp of importsOf(f.path, f.source)) {
      for (const r of RULES) {
        if (f.path.startsWith(r.from) && r.forbids(imp.target, imp.typeOnly) && !(r.from === 'src/' && f.path.startsWith('src/cluster/'))) {
          out.push({ file: f.path, line: imp.line, specifier: imp.specifier, rule: r.name, why: r.why });
        }
      }
    }
  }
  return out;
}

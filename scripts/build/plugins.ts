// What esbuild must change to bundle mk into one CommonJS file that Node's single executable
// runs (Node 24 runs an injected main script as CommonJS only: no top-level await, no
// import.meta). Each change is checked: if a dependency's code no longer looks as expected, the
// build fails naming the file, instead of shipping an executable that breaks at run time.
//  - stubs, for modules required at load time that mk never uses (each stub says so if reached):
//    ssh2, and with it cpu-features and their native .node addons: docker-modem requires it,
//    but mk talks to a local engine over its Unix socket (DOCKER_HOST=unix://… or
//    /var/run/docker.sock); dockerode's BuildKit session and progress (gRPC, protobufjs, .proto
//    files read from disk): mk builds its images with the classic builder; typescript, which
//    oclif reads tsconfig.json with when it transpiles a plugin's sources: the executable has
//    no sources;
//  - yoga-layout (ink's layout engine) instantiates its WebAssembly with a top-level await; the
//    bundle instantiates the same bytes synchronously (Node allows it for any size), so ink and
//    the progress view work unchanged.
//  - ink's reconciler awaits its devtools and its package.json at top level, only when DEV=true;
//    both are dropped (React devtools are not part of the executable).
import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

const notInExecutable = (what: string, instead: string) => `throw new Error(${JSON.stringify(`${what} is not part of the mk executable: ${instead}`)})`;

/** module → CommonJS source that replaces it; a request is matched by its text (`ssh2`) or,
 * for a dependency's own file, by `<package>/<file>` at the end of the resolved path */
export const STUBS: Record<string, string> = {
  ssh2: `module.exports = { Client: class Client { constructor() { ${notInExecutable('ssh', 'it talks to Docker over a local socket (set DOCKER_HOST=unix:///path/to/docker.sock)')} } } };`,
  'dockerode/lib/session.js': `module.exports = function withSession(docker, auth, handler) { handler(new Error('BuildKit sessions are not part of the mk executable')); };`,
  'dockerode/lib/buildkit.js': `module.exports = { followProgress() { ${notInExecutable('BuildKit', 'mk builds with the classic builder')} } };`,
  typescript: notInExecutable('typescript', 'it runs no TypeScript sources') + ';',
};

export const stubs: Plugin = {
  name: 'mk-stubs',
  setup(b) {
    b.onResolve({ filter: /^(ssh2|typescript|\.\/session|\.\/buildkit)$/ }, (args) => {
      const key = args.path.startsWith('./') ? `dockerode/lib/${args.path.slice(2)}.js` : args.path;
      if (args.path.startsWith('./') && !/[\\/]dockerode[\\/]lib$/.test(args.resolveDir)) return undefined;
      return { path: key, namespace: 'mk-stub' };
    });
    b.onLoad({ filter: /.*/, namespace: 'mk-stub' }, (args) => ({ contents: STUBS[args.path]!, loader: 'js' }));
  },
};

/** `text` with `from` replaced by `to`; throws when `from` is not in it exactly once. */
export function replaceOnce(file: string, text: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags.replace('g', '')}g`)) ?? []).length;
  if (matches !== 1) throw new Error(`build: ${file} no longer has ${matches === 0 ? 'the' : 'exactly one'} ${String(from)} the bundle replaces; check the bundling of this dependency again`);
  return text.replace(from, to);
}

/** yoga-layout's entry without top-level await: the wasm instantiated synchronously. */
export function syncYogaSource(file: string, entry: string, emscripten: string): string {
  const wasm = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(emscripten)?.[1];
  if (!wasm) throw new Error(`build: no inline WebAssembly found next to ${file}`);
  return replaceOnce(file, entry, 'const Yoga = wrapAssembly(await loadYoga());', `const wasm = Buffer.from(${JSON.stringify(wasm)}, 'base64');
const yogaModule = {
  instantiateWasm(imports, done) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
    done(instance);
    return instance.exports;
  },
};
loadYoga(yogaModule);
if (typeof yogaModule.Node !== 'function') throw new Error('yoga-layout did not load synchronously');
const Yoga = wrapAssembly(yogaModule);`);
}

export const syncYoga: Plugin = {
  name: 'mk-sync-yoga',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const entry = readFileSync(args.path, 'utf8');
      const emscripten = readFileSync(args.path.replace(/src[\\/]index\.js$/, 'binaries/yoga-wasm-base64-esm.js'), 'utf8');
      return { contents: syncYogaSource(args.path, entry, emscripten), loader: 'js' };
    });
  },
};

/** ink's reconciler without its DEV-only top-level awaits. */
export function inkReconcilerSource(file: string, text: string): string {
  let out = replaceOnce(file, text, /if \(isDev\(\)\) \{\s*try \{\s*await import\('\.\/devtools\.js'\);[\s\S]*?\n\}\n/, '');
  out = replaceOnce(file, out, /isDev\(\)\s*\?\s*await loadPackageJson\(\)\s*:/, '');
  return out;
}

export const inkWithoutTopLevelAwait: Plugin = {
  name: 'mk-ink-no-tla',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => ({ contents: inkReconcilerSource(args.path, readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

export const plugins: Plugin[] = [stubs, syncYoga, inkWithoutTopLevelAwait];

// `mk image ls|load|build`: the images a cluster's pods can use. Pods run on the user's own
// Docker engine, so that engine's images are the cluster's images: `ls` lists them with full
// reference names as `minikube image ls` prints them, `load` of an image already there says so
// and does nothing, `load` of a tar feeds it to the engine, `build` builds a directory there.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Runtime } from '../runtime/types.ts';
import { UserError } from '../lib/errors.ts';
import { packTar, type Entry } from './image/rootfs.ts';
import { profileNotFound } from './lifecycle.ts';
import { findNodes } from './nodes.ts';

/** Docker's normalised reference: `nginx` → `docker.io/library/nginx:latest`, `me/app:1` →
 * `docker.io/me/app:1`; a registry host (a dot, a port or `localhost`) stays as it is. */
export function fullImageName(ref: string): string {
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) { suffix = name.slice(at); name = name.slice(0, at); }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) { suffix = name.slice(colon) + suffix; name = name.slice(0, colon); }
  if (!suffix) suffix = ':latest';
  const first = name.split('/')[0]!;
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasHost) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name + suffix;
}

async function mustExist(rt: Runtime, profile: string): Promise<void> {
  if ((await findNodes(rt, profile)).length === 0) throw profileNotFound(profile);
}

/** Every tagged image of the engine, full names, sorted, one per line. */
export async function listClusterImages(rt: Runtime, profile: string): Promise<string[]> {
  await mustExist(rt, profile);
  const names = new Set<string>();
  for (const img of await rt.listImages()) for (const t of img.tags) names.add(fullImageName(t));
  return [...names].sort();
}

export async function loadClusterImage(rt: Runtime, profile: string, arg: string, out: (t: string) => void): Promise<string[]> {
  await mustExist(rt, profile);
  const st = statSync(arg, { throwIfNoEntry: false });
  if (st?.isFile()) {
    let loaded: string[];
    try {
      loaded = await rt.loadImage(createReadStream(arg));
    } catch (e) {
      throw new UserError(`could not load ${arg}: ${e instanceof Error ? e.message : String(e)}`, 'Give a tar made by "docker save IMAGE -o FILE.tar".', { cause: e });
    }
    for (const l of loaded) out(`Loaded image: ${l.startsWith('sha256:') ? l : fullImageName(l)}\n`);
    out(`${loaded.length === 1 ? 'It is' : 'They are'} usable by the pods of "${profile}" at once.\n`);
    return loaded;
  }
  if (st?.isDirectory()) throw new UserError(`${arg} is a directory`, `To build it, run "mk image build -t TAG ${arg}".`);
  if (await rt.imageExists(arg)) {
    out(`Image ${fullImageName(arg)} is in the Docker engine that runs the pods of "${profile}": it is usable at once, nothing to load.\n`);
    return [];
  }
  throw new UserError(`no image "${arg}" in the Docker engine, and no file by that name`, 'Build it with "docker build -t NAME DIR" (or "mk image build"), or give a tar made by "docker save".');
}

/** A build context: every file under dir (symlinks kept), relative paths. */
export function contextEntries(dir: string): Entry[] {
  const out: Entry[] = [];
  const walk = (d: string) => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      const rel = relative(dir, p);
      if (ent.isDirectory()) { out.push({ type: 'dir', path: rel }); walk(p); } else if (ent.isFile()) out.push({ type: 'hostFile', path: rel, hostPath: p });
    }
  };
  walk(dir);
  return out;
}

export async function buildClusterImage(rt: Runtime, profile: string, o: { tag: string; dir: string }, out: (t: string) => void): Promise<void> {
  await mustExist(rt, profile);
  const st = statSync(o.dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new UserError(`${o.dir} is not a directory`, 'Give the directory that holds the Dockerfile.');
  if (!statSync(join(o.dir, 'Dockerfile'), { throwIfNoEntry: false })?.isFile()) throw new UserError(`no Dockerfile in ${o.dir}`);
  try {
    await rt.buildImage(packTar(contextEntries(o.dir)), o.tag);
  } catch (e) {
    throw new UserError(`could not build ${o.tag}: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
  out(`Built ${fullImageName(o.tag)}: usable by the pods of "${profile}" at once.\n`);
}

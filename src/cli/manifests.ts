// Reading manifests for apply/create/delete -f: files, directories (-R), stdin; multi-document
// YAML, JSON and `List` kinds; every document mapped to a served resource before anything is
// sent. Errors name the file and line (YAML) or the document and the versions that exist.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ResourceType } from '../api/resources.ts';
import { byKind, kindsNamed, groupVersion } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { UserError } from '../lib/errors.ts';

export interface ManifestDoc {
  source: string; // the file name as given, or 'STDIN'
  document: number; // 1-based position of the YAML document in its source
  r: ResourceType;
  obj: KubeObject;
}

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

/** Expands directories (one level, or all with recursive) into manifest files, sorted. */
export function collectFiles(paths: string[], recursive = false): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UserError(`error: the path "${p}" does not exist`);
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const walk = (dir: string) => {
      for (const n of readdirSync(dir).sort()) {
        const f = join(dir, n);
        if (statSync(f).isDirectory()) {
          if (recursive) walk(f);
        } else if (MANIFEST_EXT.has(extname(n))) out.push(f);
      }
    };
    walk(p);
  }
  if (out.length === 0) throw new UserError('error: no objects passed to apply');
  return out;
}

/** Parses one source's text into its documents (null for empty ones), or fails naming the line. */
export function parseDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? (err.pos ? text.slice(0, err.pos[0]).split('\n').length : undefined);
      const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new UserError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${msg}`);
    }
  }
  return list.map((d) => d.toJS({ maxAliasCount: 100 }));
}

function mapDoc(obj: unknown, source: string, document: number): ManifestDoc[] {
  if (obj === null || obj === undefined) return [];
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    throw new UserError(`error: error validating "${source}": error validating data: document ${document} is not an object`);
  }
  const o = obj as KubeObject;
  const missing = [!o.apiVersion && 'apiVersion not set', !o.kind && 'kind not set'].filter(Boolean);
  if (missing.length > 0) {
    throw new UserError(
      `error: error validating "${source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  }
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    return o.items.flatMap((item: unknown) => mapDoc(item, source, document));
  }
  const r = byKind(String(o.apiVersion), String(o.kind));
  const name = o.metadata?.name ?? '';
  if (!r) {
    const exist = kindsNamed(String(o.kind)).map(groupVersion);
    const hint = exist.length > 0 ? `${o.kind} exists in version ${exist.join(', ')}` : `no served kind is named "${o.kind}"`;
    throw new UserError(
      `error: resource mapping not found for name: "${name}" namespace: "${o.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`,
      hint,
    );
  }
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {};
  return [{ source, document, r, obj: o }];
}

/** Reads every source and maps every document; throws before anything is sent. */
export function loadManifests(paths: string[], opts: { recursive?: boolean; readStdin?: () => string } = {}): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const f of collectFiles(paths, opts.recursive)) {
    const source = f === '-' ? 'STDIN' : f;
    let text: string;
    try {
      text = f === '-' ? (opts.readStdin ?? (() => readFileSync(0, 'utf8')))() : readFileSync(f, 'utf8');
    } catch (e) {
      throw new UserError(`error: cannot read ${source}: ${(e as Error).message}`, undefined, { cause: e });
    }
    parseDocuments(text, source).forEach((d, i) => out.push(...mapDoc(d, source, i + 1)));
  }
  return out;
}

/** Sets each namespaced object's namespace from -n / the context; refuses a mismatch as kubectl does. */
export function defaultNamespaces(docs: ManifestDoc[], namespace: string, explicit: boolean): void {
  for (const d of docs) {
    if (!d.r.namespaced) {
      delete d.obj.metadata.namespace;
      continue;
    }
    const own = d.obj.metadata.namespace;
    if (own && explicit && own !== namespace) {
      throw new UserError(
        `error: the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
      );
    }
    if (!own) d.obj.metadata.namespace = namespace;
  }
}

/** How a document is named in errors: `FILE (document 2, Service "kubia")`. */
export function describeDoc(d: ManifestDoc): string {
  return `${d.source} (document ${d.document}, ${d.obj.kind} "${d.obj.metadata.name ?? d.obj.metadata.generateName ?? ''}")`;
}

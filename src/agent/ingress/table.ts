// The routing table: the served Ingresses merged into one server per host, as ingress-nginx
// builds its nginx.conf, and the lookups a request makes (host → server → location).
//   - Ingresses are taken oldest first (creationTimestamp, then namespace/name): a host/path
//     defined twice keeps the first definition, and the first Ingress that names a host gives
//     its unmatched paths its spec.defaultBackend (else the 404 page). An Ingress with a
//     defaultBackend and no rules is the catch-all server's fallback.
//   - Non-regex hosts follow the Ingress specification: an Exact path wins, else the longest
//     element-wise Prefix (ImplementationSpecific is treated as Prefix).
//   - A host where any Ingress sets use-regex or rewrite-target is in regex mode: every path is
//     a case-insensitive regex anchored at the start, tried longest first.
//   - Canary Ingresses do not add paths: each of their paths becomes the alternative backend
//     of the main Ingress's location with the same host and path.
//   - A host named in a rule of an Ingress that has a tls section serves TLS: the Secret whose
//     tls entry lists the host (or whose certificate covers it), else the default certificate.
import type { KubeObject } from '../../api/types.ts';
import { parseAnnotations, wantsRegex, type CanaryPolicy, type IngressAnnotations } from './annotations.ts';
import type { Pool, Pools } from './backends.ts';
import { elementPrefixes, trimSlash, wildcardParent } from './paths.ts';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface Location {
  /** the path as written ('' reads as '/') */
  path: string;
  pathType: PathType;
  /** `namespace/name` of the Ingress that defined it */
  ingress: string;
  /** the Service backend; undefined with `resource` */
  pool?: Pool;
  /** a `resource` backend (`apiGroup/Kind/name`), which this controller refuses */
  resource?: string;
  ann: IngressAnnotations;
  /** the fallback of a server (an Ingress's defaultBackend) */
  isDefault: boolean;
  canary?: { pool?: Pool; policy: CanaryPolicy };
  /** regex mode: `^<path>`, case-insensitive */
  regex?: RegExp;
  /** rewrite-target: the path as an (unanchored, case-insensitive) regex and the replacement */
  rewrite?: { re: RegExp; target: string };
}

export interface Server {
  /** '' for the catch-all server */
  host: string;
  regexMode: boolean;
  locations: Location[];
  exact: Map<string, Location>;
  prefix: Map<string, Location>;
  /** regex mode: the locations, longest path first */
  ordered: Location[];
  fallback?: Location;
  appRoot?: string;
  /** set when the host serves TLS: the Secret (`namespace/name`), or '' for the default certificate */
  tlsSecret?: string;
}

export interface TableInput {
  /** the Ingresses this controller serves (class already checked) */
  ingresses: KubeObject[];
  pools: Pools;
  /** does the Secret's certificate cover this host (SAN or CN)? */
  covers?: (secretKey: string, host: string) => boolean;
}

function newServer(host: string): Server {
  return { host, regexMode: false, locations: [], exact: new Map(), prefix: new Map(), ordered: [] };
}

/** Oldest first, then namespace/name: the order ingress-nginx merges Ingresses in. */
export function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

interface BackendSpec { service?: { name?: string; port?: { number?: number; name?: string } }; resource?: { apiGroup?: string; kind?: string; name?: string } }

function backendOf(pools: Pools, namespace: string, b: BackendSpec | undefined): Pick<Location, 'pool' | 'resource'> {
  if (b?.resource) return { resource: `${b.resource.apiGroup ? `${b.resource.apiGroup}/` : ''}${b.resource.kind ?? ''}/${b.resource.name ?? ''}` };
  const port = b?.service?.port ?? {};
  return { pool: pools.get(namespace, b?.service?.name ?? '', port.number !== undefined ? { number: port.number } : { name: port.name ?? '' }) };
}

function compileRegex(src: string, anchored: boolean): RegExp | undefined {
  try {
    return new RegExp(anchored ? `^${src}` : src, 'i');
  } catch {
    return undefined;
  }
}

export class RoutingTable {
  readonly exact = new Map<string, Server>();
  /** `*.example.com` servers under `example.com` */
  readonly wildcard = new Map<string, Server>();
  readonly catchAll = newServer('');
  /** the Pools in use (the rest may be dropped) */
  readonly poolKeys = new Set<string>();
  /** Ingresses whose paths could not be used, with why (invalid regex, …) */
  readonly problems = new Map<string, string[]>();

  /** The server for a request host (already lower case, without port). */
  server(host: string): Server {
    const s = this.exact.get(host);
    if (s) return s;
    const parent = wildcardParent(host);
    if (parent !== undefined) {
      const w = this.wildcard.get(parent);
      if (w) return w;
    }
    return this.catchAll;
  }

  /** The location of a server a request path goes to; undefined means the 404 page. */
  location(s: Server, path: string): Location | undefined {
    if (s.regexMode) {
      for (const l of s.ordered) if (l.regex!.test(path)) return l;
      return s.fallback;
    }
    if (s.exact.size > 0) {
      const e = s.exact.get(path);
      if (e) return e;
    }
    for (const p of elementPrefixes(path)) {
      const l = s.prefix.get(p);
      if (l) return l;
    }
    return s.fallback;
  }

  /** The TLS Secret of the server a host would reach ('' for the default certificate), or undefined without TLS. */
  tlsFor(host: string): string | undefined {
    const s = this.exact.get(host);
    if (s?.tlsSecret !== undefined) return s.tlsSecret;
    const parent = wildcardParent(host);
    return parent !== undefined ? this.wildcard.get(parent)?.tlsSecret : undefined;
  }

  private serverFor(host: string, create: boolean): Server | undefined {
    if (host === '') return this.catchAll;
    const wild = host.startsWith('*.');
    const map = wild ? this.wildcard : this.exact;
    const key = wild ? host.slice(2) : host;
    let s = map.get(key);
    if (!s && create) map.set(key, (s = newServer(host)));
    return s;
  }

  private problem(ing: string, text: string): void {
    const list = this.problems.get(ing) ?? [];
    list.push(text);
    this.problems.set(ing, list);
  }

  static build(input: TableInput): RoutingTable {
    const t = new RoutingTable();
    const sorted = [...input.ingresses].sort(byAge);
    const parsed = new Map<KubeObject, IngressAnnotations>(sorted.map((i) => [i, parseAnnotations(i.metadata.annotations)]));
    const canaries: KubeObject[] = [];
    for (const ing of sorted) {
      const ann = parsed.get(ing)!;
      if (ann.canary) { canaries.push(ing); continue; }
      t.addIngress(ing, ann, input);
    }
    for (const ing of canaries) t.addCanary(ing, parsed.get(ing)!, input);
    for (const s of [t.catchAll, ...t.exact.values(), ...t.wildcard.values()]) t.finish(s);
    return t;
  }

  private addIngress(ing: KubeObject, ann: IngressAnnotations, input: TableInput): void {
    const ns = ing.metadata.namespace ?? 'default';
    const key = `${ns}/${ing.metadata.name}`;
    const spec = ing.spec ?? {};
    const rules: { host?: string; http?: { paths?: { path?: string; pathType?: PathType; backend?: BackendSpec }[] } }[] = spec.rules ?? [];
    const fallback = (): Location => ({ path: '/', pathType: 'Prefix', ingress: key, ann, isDefault: true, ...backendOf(input.pools, ns, spec.defaultBackend) });
    if (rules.length === 0 && spec.defaultBackend && !this.catchAll.fallback) this.catchAll.fallback = fallback();
    const tls: { hosts?: string[]; secretName?: string }[] = spec.tls ?? [];
    for (const rule of rules) {
      const host = (rule.host ?? '').toLowerCase();
      const isNew = host !== '' && !this.serverFor(host, false);
      const s = this.serverFor(host, true)!;
      if (isNew && spec.defaultBackend) s.fallback = fallback();
      if (wantsRegex(ann)) s.regexMode = true;
      if (ann.appRoot && s.appRoot === undefined) s.appRoot = ann.appRoot;
      if (host !== '' && s.tlsSecret === undefined && tls.length > 0) s.tlsSecret = tlsSecretFor(host, ns, tls, input.covers);
      for (const p of rule.http?.paths ?? []) {
        const path = p.path || '/';
        const pathType: PathType = p.pathType ?? 'ImplementationSpecific';
        if (s.locations.some((l) => l.path === path && l.pathType === pathType)) continue;
        s.locations.push({ path, pathType, ingress: key, ann, isDefault: false, ...backendOf(input.pools, ns, p.backend) });
      }
    }
  }

  private addCanary(ing: KubeObject, ann: IngressAnnotations, input: TableInput): void {
    const ns = ing.metadata.namespace ?? 'default';
    for (const rule of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: { path?: string; pathType?: PathType; backend?: BackendSpec }[] } }[]) {
      const s = this.serverFor((rule.host ?? '').toLowerCase(), false);
      if (!s) continue;
      for (const p of rule.http?.paths ?? []) {
        const path = p.path || '/';
        const main = s.locations.find((l) => l.path === path && l.pathType === (p.pathType ?? 'ImplementationSpecific')) ?? s.locations.find((l) => l.path === path);
        if (!main || main.canary) continue;
        main.canary = { pool: backendOf(input.pools, ns, p.backend).pool, policy: ann.canary! };
      }
    }
  }

  private finish(s: Server): void {
    const all = s.fallback ? [...s.locations, s.fallback] : s.locations;
    for (const l of all) {
      if (l.pool) this.poolKeys.add(l.pool.key);
      if (l.canary?.pool) this.poolKeys.add(l.canary.pool.key);
    }
    if (s.regexMode) {
      const ok: Location[] = [];
      for (const l of s.locations) {
        l.regex = compileRegex(l.path, true);
        if (!l.regex) { this.problem(l.ingress, `path "${l.path}" is not a valid regular expression`); continue; }
        if (l.ann.rewriteTarget !== undefined) l.rewrite = { re: compileRegex(l.path, false)!, target: l.ann.rewriteTarget };
        ok.push(l);
      }
      // longest first; equal lengths keep their merge order (a stable sort)
      s.ordered = ok.sort((a, b) => b.path.length - a.path.length);
      return;
    }
    for (const l of s.locations) {
      if (l.pathType === 'Exact') { if (!s.exact.has(l.path)) s.exact.set(l.path, l); }
      else {
        const k = trimSlash(l.path);
        if (!s.prefix.has(k)) s.prefix.set(k, l);
      }
    }
  }
}

function tlsSecretFor(host: string, ns: string, tls: { hosts?: string[]; secretName?: string }[], covers?: (k: string, h: string) => boolean): string {
  for (const t of tls) if ((t.hosts ?? []).some((h) => h.toLowerCase() === host)) return t.secretName ? `${ns}/${t.secretName}` : '';
  for (const t of tls) if (t.secretName && covers?.(`${ns}/${t.secretName}`, host)) return `${ns}/${t.secretName}`;
  return '';
}

// Watch streams (`?watch=true` or /watch/ paths): chunked newline-delimited
// {"type","object"} events. No or "0" resourceVersion: ADDED for every current match, then
// live; a given resourceVersion: every event after it (too old: one ERROR event with a 410
// Expired Status, then the stream ends). Selectors are applied per event with Kubernetes'
// transitions (an object that stops matching is sent as DELETED, one that starts as ADDED).
// Each store event is serialized once per answer form and shared by every watcher.
import type { ServerResponse } from 'node:http';
import { groupVersion, type ResourceType } from '../api/resources.ts';
import { errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { toTable } from '../printers/index.ts';
import { prefixFor, StoreError, type StoreEvent } from '../store/index.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { answerForm, type AnswerForm } from './negotiate.ts';
import { includeObjectOf, partial, type IncludeObject } from './handlers/read.ts';
import { listOptions } from './list-options.ts';
import { matches, parseSelector, type Selector } from './selectors.ts';

export interface WatchOptions {
  bookmarkIntervalMs: number;
  /** a served version other than the stored one (v1beta1 Ingress): events' objects converted to it */
  convert?: { apiVersion: string; object(o: KubeObject): KubeObject };
}

/** Shared serializations: store event → form key → the object's JSON. */
const shared = new WeakMap<object, Map<string, string>>();

function objectJson(ev: object, stored: KubeObject, r: ResourceType, form: AnswerForm, inc: IncludeObject, convert?: WatchOptions['convert']): string {
  const key = (form === 'Table' ? `T${inc}` : form === 'object' ? 'O' : 'P') + (convert ? convert.apiVersion : '');
  const obj = convert && form !== 'PartialObjectMetadata' && form !== 'PartialObjectMetadataList' ? convert.object(stored) : stored;
  let m = shared.get(ev);
  if (!m) {
    m = new Map();
    shared.set(ev, m);
  }
  let s = m.get(key);
  if (s === undefined) {
    if (form === 'Table') {
      const t = toTable(r, [obj], { includeObject: inc });
      t.metadata = { resourceVersion: obj.metadata.resourceVersion };
      s = JSON.stringify(t);
    } else if (form === 'object') s = JSON.stringify(obj);
    else s = JSON.stringify(partial(obj));
    m.set(key, s);
  }
  return s;
}

const line = (type: string, json: string) => `{"type":"${type}","object":${json}}\n`;

export function serveWatch(ctx: ServerContext, req: ResourceRequest, res: ServerResponse, opts: WatchOptions): void {
  const { r, query } = req;
  const form = answerForm(req.headers.accept);
  const inc = includeObjectOf(query);
  const sel: Selector = parseSelector(query, r);
  if (req.name) sel.fields.push({ field: 'metadata.name', op: '=', value: req.name });
  const lo = listOptions(query);
  const rvText = lo.resourceVersion;
  const fromGiven = rvText !== '' && rvText !== '0';
  const timeout = lo.timeoutSeconds ?? 0;
  const prefix = prefixFor(r, req.namespace);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  res.on('error', () => undefined); // a client gone mid-write; 'close' cleans up
  const write = (text: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  const send = (type: string, ev: object, obj: KubeObject) => write(line(type, objectJson(ev, obj, r, form, inc, opts.convert)));
  let fromRevision: number;
  if (fromGiven) fromRevision = Number(rvText);
  else {
    const { items, revision } = ctx.store.list(prefix);
    let chunk = '';
    for (const o of items) if (matches(sel, o)) chunk += line('ADDED', objectJson({}, o, r, form, inc, opts.convert));
    if (chunk) write(chunk);
    fromRevision = revision;
  }
  const bookmark = (extra?: Record<string, string>) => {
    const obj = { kind: r.kind, apiVersion: opts.convert?.apiVersion ?? groupVersion(r), metadata: { resourceVersion: String(ctx.store.revision), ...(extra ? { annotations: extra } : {}) } };
    write(line('BOOKMARK', JSON.stringify(obj)));
  };
  if (!fromGiven && query.get('sendInitialEvents') === 'true' && lo.allowWatchBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const everything = sel.labels.length === 0 && sel.fields.length === 0;
  const deliver = (ev: StoreEvent) => {
    if (everything) return void send(ev.type, ev, ev.object);
    if (ev.type === 'MODIFIED') {
      const now = matches(sel, ev.object);
      const before = ev.prev ? matches(sel, ev.prev) : false;
      if (now && before) send('MODIFIED', ev, ev.object);
      else if (now) send('ADDED', ev, ev.object);
      else if (before) send('DELETED', ev, ev.object);
    } else if (matches(sel, ev.object)) send(ev.type, ev, ev.object);
  };
  // A watcher's failure (e.g. a printer throwing on an odd object) ends that stream only; it must
  // never reach the store's fan-out, where it would fail the write that caused the event.
  const onEvent = (ev: StoreEvent) => {
    try {
      deliver(ev);
    } catch (e) {
      console.error(`apiserver: watch ${r.plural}:`, e);
      stop();
      res.end();
    }
  };
  let unwatch: () => void = () => undefined;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unwatch();
    for (const t of timers) clearTimeout(t);
  };
  try {
    unwatch = ctx.store.watch(prefix, fromRevision, onEvent);
    if (stopped) return unwatch(); // failed while replaying history
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Expired') {
      res.end(line('ERROR', JSON.stringify(errors.expired(e.message).toStatus())));
      return;
    }
    throw e;
  }
  if (timeout > 0) {
    timers.push(
      setTimeout(() => {
        stop();
        res.end();
      }, Math.min(timeout * 1000, 2 ** 31 - 1)), // setTimeout fires at once past ~24.8 days
    );
  }
  if (lo.allowWatchBookmarks) timers.push(setInterval(() => bookmark(), opts.bookmarkIntervalMs));
  res.on('close', stop);
}

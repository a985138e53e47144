// The page: a bar (the connection to `mk dashboard`, the API's health, the namespaces shown, the
// nodes' proxy modes), the map of the cluster (ClusterMap) and a side pane with the selected
// object's YAML and events (Details) above the timeline of changes (Timeline).
import { useMemo, useState } from 'react';
import type { ObjectRef } from '../model/graph.ts';
import { ClusterMap } from './ClusterMap.tsx';
import { Details } from './Details.tsx';
import { useFeed } from './feed.ts';
import { layout, type NamespaceFilter } from './layout.ts';
import { Timeline } from './Timeline.tsx';

const DEFAULT_FILTER: NamespaceFilter = { all: true, system: false };

function filterValue(f: NamespaceFilter): string {
  return 'namespace' in f ? `ns:${f.namespace}` : f.system ? 'all' : 'user';
}

function parseFilter(v: string): NamespaceFilter {
  if (v.startsWith('ns:')) return { namespace: v.slice(3) };
  return { all: true, system: v === 'all' };
}

export function App() {
  const feed = useFeed();
  const [filter, setFilter] = useState<NamespaceFilter>(DEFAULT_FILTER);
  const [selected, setSelected] = useState<ObjectRef | undefined>();
  const placed = useMemo(() => layout(feed.graph, filter, feed.traffic), [feed.graph, filter, feed.traffic]);
  const notes = (feed.traffic?.nodes ?? []).filter((n) => n.note);
  const modes = [...new Set((feed.traffic?.nodes ?? []).map((n) => n.mode).filter(Boolean))];

  return (
    <div className="app">
      <header className="bar">
        <h1>mk dashboard</h1>
        <span className={`pill ${feed.connected ? 'ok' : 'bad'}`} data-testid="connection">
          {feed.connected ? 'live' : 'reconnecting to mk dashboard…'}
        </span>
        {feed.health && <span className="pill bad" title={feed.health}>API server: {feed.health}</span>}
        <label className="filter">
          Namespaces{' '}
          <select value={filterValue(filter)} onChange={(e) => setFilter(parseFilter(e.target.value))}>
            <option value="user">all but kube-*</option>
            <option value="all">all</option>
            {feed.graph.namespaces.map((ns) => <option key={ns} value={`ns:${ns}`}>{ns}</option>)}
          </select>
        </label>
        <span className="muted">
          {feed.graph.nodes.length} node{feed.graph.nodes.length === 1 ? '' : 's'} · {feed.graph.pods.length} pods · {feed.graph.services.length} services
          {modes.length > 0 && <> · proxy: {modes.join(', ')}</>}
        </span>
      </header>
      {notes.length > 0 && (
        <div className="notes">
          {notes.map((n) => <div key={n.node}>node {n.node}: {n.note}</div>)}
        </div>
      )}
      <main className="body">
        <section className={`map${feed.health || !feed.connected ? ' stale' : ''}`} aria-label="map of the cluster" title={feed.health ? 'the API server does not answer: the map is as it last was' : undefined}>
          {feed.revision === 0
            ? <p className="loading">{feed.health ? `Waiting for the API server: ${feed.health}` : 'Listing the cluster…'}</p>
            : <ClusterMap layout={placed} selected={selected} onSelect={setSelected} />}
        </section>
        <aside className="side">
          <Details selected={selected} revision={feed.revision} onClose={() => setSelected(undefined)} />
          <Timeline entries={feed.timeline} onSelect={setSelected} />
        </aside>
      </main>
    </div>
  );
}

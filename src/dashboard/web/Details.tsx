// The side pane's upper half: the selected object's YAML (as `kubectl get -o yaml` prints it)
// and its events (as `kubectl describe` lists them), asked of /api/object and asked again each
// time the picture changes, so both follow the cluster; once the object is gone, the pane says so
// above its YAML as last seen.
import { useEffect, useState } from 'react';
import type { ObjectRef } from '../model/graph.ts';
import type { ObjectDetails } from '../server/details.ts';

interface Props {
  selected?: ObjectRef;
  /** the graph's revision: a new one asks again */
  revision: number;
  onClose(): void;
}

export function objectUrl(o: ObjectRef): string {
  const q = new URLSearchParams({ kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) });
  return `/api/object?${q}`;
}

export function Details({ selected, revision, onClose }: Props) {
  const [details, setDetails] = useState<ObjectDetails | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!selected) return;
    let gone = false;
    fetch(objectUrl(selected)).then(async (r) => {
      const body = await r.json() as ObjectDetails & { error?: string };
      if (gone) return;
      if (r.ok) {
        setDetails(body);
        setError(undefined);
      } else setError(body.error ?? `HTTP ${r.status}`);
    }, (e: unknown) => !gone && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      gone = true;
    };
  }, [selected, revision]);

  if (!selected) {
    return <section className="details empty"><p className="muted">Select a node, a pod, a Service or an Ingress to see its YAML and events.</p></section>;
  }
  const shown = details && details.kind === selected.kind && details.name === selected.name && (details.namespace ?? '') === (selected.namespace ?? '') ? details : undefined;
  return (
    <section className="details" data-details={`${selected.kind}/${selected.namespace ? `${selected.namespace}/` : ''}${selected.name}`}>
      <header>
        <h2>{selected.kind} {selected.namespace ? `${selected.namespace}/` : ''}{selected.name}</h2>
        <button type="button" onClick={onClose} aria-label="close">×</button>
      </header>
      {error && <p className="error">{error}</p>}
      {shown && (
        <>
          <h3>Events</h3>
          {shown.events.length === 0
            ? <p className="muted">&lt;none&gt;</p>
            : (
              <table className="events">
                <thead><tr><th>Type</th><th>Reason</th><th>Age</th><th>From</th><th>Message</th></tr></thead>
                <tbody>
                  {shown.events.map((e, i) => (
                    <tr key={i} className={e.type === 'Warning' ? 'warning' : ''}><td>{e.type}</td><td>{e.reason}</td><td>{e.age}</td><td>{e.from}</td><td>{e.message}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          <h3>{error ? 'YAML, as last seen' : 'YAML'}</h3>
          <pre className="yaml">{shown.yaml}</pre>
        </>
      )}
    </section>
  );
}

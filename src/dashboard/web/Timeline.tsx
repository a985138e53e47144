// The side pane's lower half: what changed since the dashboard started, newest first (scaled,
// created, ready, not ready, endpoints added and lost), each entry selecting its object.
import type { ObjectRef } from '../model/graph.ts';
import type { TimelineEntry } from '../model/timeline.ts';

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false });

export function Timeline({ entries, onSelect }: { entries: TimelineEntry[]; onSelect(o: ObjectRef): void }) {
  return (
    <section className="timeline">
      <h2>Changes</h2>
      {entries.length === 0 && <p className="muted">Nothing changed since the dashboard started.</p>}
      <ol>
        {[...entries].reverse().map((e, i) => (
          <li key={`${e.at}-${entries.length - i}`} className={e.level} data-timeline-entry>
            <time>{time(e.at)}</time>{' '}
            {e.object ? <button type="button" className="link" onClick={() => onSelect(e.object!)}>{e.text}</button> : e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

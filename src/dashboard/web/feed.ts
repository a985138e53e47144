// The page's end of the feed: one EventSource on /events (it reconnects by itself; the server
// starts each connection with `hello`, the whole state), folded into the state the page draws.
import { useEffect, useReducer } from 'react';
import type { Graph } from '../model/graph.ts';
import type { TimelineEntry } from '../model/timeline.ts';
import type { TrafficView } from '../model/traffic.ts';
import type { FeedMessages } from '../server/feed.ts';

export interface FeedState {
  /** 0 until the server has listed the cluster */
  revision: number;
  graph: Graph;
  timeline: TimelineEntry[];
  traffic?: TrafficView;
  /** the API server's error, while it does not answer */
  health?: string;
  /** the page's connection to `mk dashboard` */
  connected: boolean;
}

export type FeedAction =
  | { type: 'open' }
  | { type: 'lost' }
  | { [K in keyof FeedMessages]: { type: K; data: FeedMessages[K] } }[keyof FeedMessages];

const EMPTY: Graph = { namespaces: [], nodes: [], unscheduled: [], pods: [], services: [], ingresses: [], workloads: [] };
export const INITIAL: FeedState = { revision: 0, graph: EMPTY, timeline: [], connected: false };
const KEEP = 200;

export function reduce(s: FeedState, a: FeedAction): FeedState {
  switch (a.type) {
    case 'open': return { ...s, connected: true };
    case 'lost': return { ...s, connected: false };
    case 'hello': return { revision: a.data.revision, graph: a.data.graph, timeline: a.data.timeline.slice(-KEEP), traffic: a.data.traffic, health: a.data.health, connected: true };
    case 'graph': return a.data.revision > s.revision ? { ...s, revision: a.data.revision, graph: a.data.graph } : s;
    case 'timeline': return { ...s, timeline: [...s.timeline, ...a.data.entries].slice(-KEEP) };
    case 'traffic': return { ...s, traffic: a.data };
    case 'health': return { ...s, health: a.data.error };
  }
}

export function useFeed(url = '/events'): FeedState {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => dispatch({ type: 'open' });
    source.onerror = () => dispatch({ type: 'lost' });
    const on = <K extends keyof FeedMessages>(type: K) => source.addEventListener(type, (ev) => dispatch({ type, data: JSON.parse((ev as MessageEvent<string>).data) } as FeedAction));
    on('hello');
    on('graph');
    on('timeline');
    on('traffic');
    on('health');
    return () => source.close();
  }, [url]);
  return state;
}

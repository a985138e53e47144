// Endpoint selection for one connection (or UDP flow): the traffic policies narrow the
// endpoints to this node's when they say Local, then round-robin per Service port, or, with
// sessionAffinity ClientIP, the endpoint this client used last, while it is still an endpoint
// and the client came back within timeoutSeconds. The answer is an ordered list of candidates:
// the chosen one first, then the others, so a refused endpoint can be followed by the next.
// Time comes from an injected clock.
import type { Backend, Route } from './table.ts';

interface Sticky {
  backend: string;
  lastUsed: number;
}

interface PortState {
  next: number;
  sticky: Map<string, Sticky>;
}

export interface PickerOptions {
  nodeName: string;
  now?: () => number;
}

export const backendKey = (b: Backend) => `${b.ip}:${b.port}`;

export class Picker {
  private readonly nodeName: string;
  private readonly now: () => number;
  private readonly state = new Map<string, PortState>();

  constructor(o: PickerOptions) {
    this.nodeName = o.nodeName;
    this.now = o.now ?? Date.now;
  }

  /** The endpoints the route may use from this node: all, or only local ones under a Local policy. */
  usable(route: Route): Backend[] {
    const e = route.entry;
    const local = route.external ? e.externalTrafficPolicy === 'Local' : e.internalTrafficPolicy === 'Local';
    return local ? e.endpoints.filter((b) => b.nodeName === this.nodeName) : e.endpoints;
  }

  /** Candidates in the order to try; empty when there is nothing to connect to. */
  pick(route: Route, clientIP: string): Backend[] {
    const all = this.usable(route);
    if (all.length === 0) return [];
    const e = route.entry;
    let st = this.state.get(e.id);
    if (!st) this.state.set(e.id, (st = { next: 0, sticky: new Map() }));
    const now = this.now();
    if (e.sessionAffinity === 'ClientIP') {
      const s = st.sticky.get(clientIP);
      if (s && now - s.lastUsed <= e.affinityTimeoutSeconds * 1000) {
        const i = all.findIndex((b) => backendKey(b) === s.backend);
        if (i >= 0) {
          s.lastUsed = now;
          return rotate(all, i);
        }
      }
    }
    const i = st.next % all.length;
    st.next = (i + 1) % all.length;
    if (e.sessionAffinity === 'ClientIP') st.sticky.set(clientIP, { backend: backendKey(all[i]!), lastUsed: now });
    return rotate(all, i);
  }

  /** The candidate `b` answered for this client: with affinity it becomes the client's endpoint. */
  used(route: Route, clientIP: string, b: Backend): void {
    if (route.entry.sessionAffinity !== 'ClientIP') return;
    const st = this.state.get(route.entry.id);
    st?.sticky.set(clientIP, { backend: backendKey(b), lastUsed: this.now() });
  }

  /** Forget a Service port that went away. */
  forget(id: string): void {
    this.state.delete(id);
  }

  /** Drop affinity records older than their timeout (called now and then). */
  sweep(timeoutSecondsOf: (id: string) => number | undefined): void {
    const now = this.now();
    for (const [id, st] of this.state) {
      const t = timeoutSecondsOf(id);
      if (t === undefined) {
        st.sticky.clear();
        continue;
      }
      for (const [ip, s] of st.sticky) if (now - s.lastUsed > t * 1000) st.sticky.delete(ip);
    }
  }

  /** How many clients have a sticky endpoint for this Service port. */
  stickyClients(id: string): number {
    return this.state.get(id)?.sticky.size ?? 0;
  }
}

function rotate<T>(xs: T[], i: number): T[] {
  return [...xs.slice(i), ...xs.slice(0, i)];
}

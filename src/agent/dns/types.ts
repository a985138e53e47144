// The cluster DNS's handler contract, after CoreDNS's plugin.Handler: a question goes down an
// ordered list of handlers (cluster zone → forward); each answers it or passes it to `next`.
// Handlers see a parsed question and return the sections of a reply; the wire format, EDNS,
// truncation and the response cache belong to the server (wire.ts, server.ts), not to them.
import type { Answer } from 'dns-packet';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const RCODE_NUMBER: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export interface Query {
  /** lower case, no trailing dot ('' for the root) */
  name: string;
  /** the name as asked (case kept): owner name of the answers */
  qname: string;
  /** record type as dns-packet names it: 'A', 'SRV', … ('UNKNOWN_<n>' for the rest) */
  type: string;
  class: string;
  /** came over TCP (a forwarded question may then use TCP upstream) */
  tcp: boolean;
}

export interface Reply {
  rcode: Rcode;
  /** AA: answered from the cluster's own data */
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** may the server keep the encoded reply until the cluster data changes (false for forwarded data) */
  cacheable: boolean;
  /** an upstream said TC: pass it on so the client asks again over TCP */
  truncated?: boolean;
}

export type Next = (q: Query) => Reply | Promise<Reply>;

export interface Handler {
  readonly name: string;
  serve(q: Query, next: Next): Reply | Promise<Reply>;
}

export function reply(rcode: Rcode, o: Partial<Omit<Reply, 'rcode'>> = {}): Reply {
  return { rcode, authoritative: o.authoritative ?? false, answers: o.answers ?? [], authorities: o.authorities ?? [], additionals: o.additionals ?? [], cacheable: o.cacheable ?? false };
}

/** Runs handlers in order; past the last one a question gets SERVFAIL (nothing could answer it). */
export function chain(handlers: readonly Handler[]): Next {
  const at = (i: number): Next => {
    if (i >= handlers.length) return () => reply('SERVFAIL');
    const h = handlers[i]!;
    const next = at(i + 1);
    return (q) => h.serve(q, next);
  };
  return at(0);
}

// Bytes in, bytes out: a request packet becomes a Query (or an error reply: FORMERR for what
// cannot be parsed or has no single question, NOTIMP for opcodes other than QUERY, nothing at
// all for responses and packets too short to carry an ID), and a Reply becomes the response
// packet: the question echoed, RD copied, RA set, AA for cluster answers, the rcode, an OPT
// record when the client sent one. Over UDP an answer larger than the client's limit (512, or
// its EDNS0 size up to 4096) keeps the answers that fit and sets TC, so the client asks over TCP.
import { decode, encode, AUTHORITATIVE_ANSWER, RECURSION_AVAILABLE, RECURSION_DESIRED, TRUNCATED_RESPONSE, type Answer, type Packet } from 'dns-packet';
import { normalize } from './names.ts';
import { RCODE_NUMBER, type Query, type Rcode, type Reply } from './types.ts';

export const MIN_UDP = 512;
export const MAX_UDP = 4096;
const OPCODE_MASK = 0x7800;
const CD = 0x0010;

export interface Request {
  id: number;
  /** opcode and RD/CD bits to echo */
  flags: number;
  query: Query;
  /** the question as received (case kept) */
  question: { name: string; type: string; class: string };
  /** EDNS0 UDP size the client accepts, or undefined without OPT */
  edns?: number;
}

export type Parsed = { ok: true; req: Request } | { ok: false; response?: Buffer };

/** An error reply that echoes only the header's ID and opcode. */
function bare(buf: Buffer, rcode: Rcode): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(buf.readUInt16BE(0), 0);
  out.writeUInt16BE(0x8000 | (buf.readUInt16BE(2) & (OPCODE_MASK | RECURSION_DESIRED)) | RECURSION_AVAILABLE | RCODE_NUMBER[rcode], 2);
  return out;
}

export function parseRequest(buf: Buffer, tcp: boolean): Parsed {
  if (buf.length < 12) return { ok: false };
  if (buf[2]! & 0x80) return { ok: false }; // a response: never answer it (no loops)
  const flags = buf.readUInt16BE(2);
  if ((flags & OPCODE_MASK) !== 0) return { ok: false, response: bare(buf, 'NOTIMP') };
  if (buf.readUInt16BE(4) !== 1 || buf.readUInt16BE(6) !== 0 || buf.readUInt16BE(8) !== 0 || buf.readUInt16BE(10) > 2) {
    return { ok: false, response: bare(buf, 'FORMERR') };
  }
  let p: ReturnType<typeof decode>;
  try { p = decode(buf); } catch { return { ok: false, response: bare(buf, 'FORMERR') }; }
  const q = p.questions?.[0];
  if (!q) return { ok: false, response: bare(buf, 'FORMERR') };
  const opt = (p.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  const question = { name: q.name, type: String(q.type), class: String(q.class ?? 'IN') };
  return {
    ok: true,
    req: {
      id: p.id ?? 0,
      flags: flags & (OPCODE_MASK | RECURSION_DESIRED | CD),
      question,
      edns: opt ? Math.min(MAX_UDP, Math.max(MIN_UDP, opt.udpPayloadSize ?? MIN_UDP)) : undefined,
      query: { name: normalize(q.name), qname: q.name.replace(/\.$/, ''), type: question.type, class: question.class, tcp },
    },
  };
}

function packetOf(req: Request, r: Reply, answers: Answer[], authorities: Answer[], additionals: Answer[], tc: boolean): Packet {
  let flags = req.flags | RECURSION_AVAILABLE | RCODE_NUMBER[r.rcode];
  if (r.authoritative) flags |= AUTHORITATIVE_ANSWER;
  if (tc) flags |= TRUNCATED_RESPONSE;
  const extra = req.edns !== undefined ? [...additionals, { type: 'OPT', name: '.', udpPayloadSize: MAX_UDP, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as unknown as Answer] : additionals;
  return {
    type: 'response', id: req.id, flags,
    questions: [{ name: req.question.name, type: req.question.type as 'A', class: req.question.class as 'IN' }],
    answers, authorities, additionals: extra,
  };
}

/** The response packet; `limit` is the UDP size (undefined over TCP: everything, up to 65535). */
export function encodeReply(req: Request, r: Reply, limit?: number): Buffer {
  const full = encode(packetOf(req, r, r.answers, r.authorities, r.additionals, !!r.truncated));
  if (limit === undefined || full.length <= limit) return full;
  // RFC 2181 §9: the additional section may go silently; TC only when answers must be cut
  const lean = encode(packetOf(req, r, r.answers, r.authorities, [], !!r.truncated));
  if (lean.length <= limit) return lean;
  let lo = 0;
  let hi = r.answers.length;
  let best = encode(packetOf(req, r, [], [], [], true));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const b = encode(packetOf(req, r, r.answers.slice(0, mid), [], [], true));
    if (b.length <= limit) { best = b; lo = mid; } else hi = mid - 1;
  }
  return best;
}

/** The UDP size limit for a request. */
export function udpLimit(req: Request): number {
  return req.edns ?? MIN_UDP;
}

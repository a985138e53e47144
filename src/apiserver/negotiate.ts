// Content negotiation: which of mk's answer forms a request's Accept header asks for.
// Kubernetes picks the first acceptable media range; `as=Table` (meta.k8s.io v1/v1beta1) and
// `as=PartialObjectMetadata[List]` are transformations of the JSON answer. Protobuf is never
// offered, so a client listing it first falls through to its JSON alternative.
import { errors } from '../api/status.ts';

export type AnswerForm = 'object' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface MediaRange { type: string; params: Record<string, string> }

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

const jsonLike = (t: string) => t === 'application/json' || t === '*/*' || t === 'application/*';

/** The answer form for a get/list/watch; throws 406 when nothing acceptable is on offer. */
export function answerForm(accept: string | undefined): AnswerForm {
  for (const m of parseAccept(accept)) {
    if (!jsonLike(m.type) && m.type !== 'application/yaml') continue;
    const as = m.params.as;
    if (!as) return 'object';
    if (m.params.g !== 'meta.k8s.io' || (m.params.v !== 'v1' && m.params.v !== 'v1beta1')) continue;
    if (as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return as;
  }
  throw notAcceptable();
}

/** True when a plain JSON document is acceptable (discovery, openapi, version). */
export function acceptsPlainJson(accept: string | undefined): boolean {
  return parseAccept(accept).some((m) => jsonLike(m.type) && !m.params.as);
}

export function notAcceptable() {
  const e = errors.badRequest('only the following media types are accepted: application/json, application/yaml');
  return Object.assign(e, { code: 406, reason: 'NotAcceptable' as const });
}

// Request bodies: JSON or YAML (`application/yaml`), parsed to a plain value, with the
// 400 messages Kubernetes gives for a body it cannot read. Nesting is capped as Go's JSON
// decoder caps it (10,000 levels), checked on the text before parsing.
import { parse as parseYaml } from 'yaml';
import { depthOf } from '../api/schema/decode.ts';
import { ApiError, errors } from '../api/status.ts';
import { decodeProtobuf } from './protobuf/decode.ts';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

const READABLE = new Set(['application/json', 'application/yaml', 'application/apply-patch+yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'text/plain', '*/*']);

/** encoding/json's maxNestingDepth, which kube-apiserver's decoders inherit. */
export const MAX_DEPTH = 10000;

/** The first '[' or '{' (outside strings) that opens level MAX_DEPTH + 1, if any. */
function tooDeep(text: string): string | undefined {
  if (text.length <= MAX_DEPTH) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return text[i];
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

export function parseBody(buf: Buffer | undefined, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  // kubectl 1.32+ sends typed objects (`create deployment`, ...) as protobuf.
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(buf ?? Buffer.alloc(0));
  if (!READABLE.has(type)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const text = buf?.toString('utf8') ?? '';
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    let v: unknown;
    try {
      v = parseYaml(text);
    } catch (e) {
      // the parser recurses per level: past what it can follow, the text is too deep for mk
      const msg = (e as Error).message.includes('Maximum call stack size exceeded') ? 'yaml: exceeded max depth' : (e as Error).message.split('\n')[0];
      throw errors.badRequest(`error converting YAML to JSON: ${msg}`);
    }
    if (depthOf(v, MAX_DEPTH) > MAX_DEPTH) throw errors.badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_DEPTH}`);
    return v;
  }
  const deep = tooDeep(text);
  if (deep) throw errors.badRequest(`couldn't get version/kind; json parse error: invalid character '${deep}' exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function parseObjectBody(buf: Buffer | undefined, contentType: string | undefined): Record<string, any> {
  const v = parseBody(buf, contentType);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw errors.badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  return v as Record<string, any>;
}

/**
 * How deep a patch document may nest. Patches are applied by recursive merges, which mk (on
 * JavaScript's stack) follows safely to about twice this; kube-apiserver's only limit is
 * MAX_DEPTH. No Kubernetes field nests anywhere near this deep.
 */
export const MAX_PATCH_DEPTH = 1000;

/** A patch body (JSON, whatever the patch type), refused when it nests deeper than mk applies. */
export function parsePatchBody(buf: Buffer | undefined): unknown {
  const v = parseBody(buf, 'application/json');
  if (depthOf(v, MAX_PATCH_DEPTH) > MAX_PATCH_DEPTH) throw errors.badRequest(`the patch nests more than ${MAX_PATCH_DEPTH} levels deep, more than mk applies`);
  return v;
}

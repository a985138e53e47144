// Patches, as the API server applies them and as `apply` computes them: JSON merge patch
// (RFC 7386), JSON patch (RFC 6902), strategic merge patch with the merge keys of the served
// kinds, and the three-way strategic patch of `kubectl apply`. Pure functions on JSON values:
// no I/O, no store; failures are ApiErrors with the API server's codes and texts.
import type { KubeObject } from '../api/types.ts';
import { errors } from '../api/status.ts';
import { jsonPatch } from './jsonpatch.ts';
import { mergePatch } from './merge.ts';
import { schemaForKind } from './schema.ts';
import { APPLY, mergeMap } from './strategic.ts';
import { clone, isMap, jsonType, type JsonMap } from './util.ts';

export { jsonPatch } from './jsonpatch.ts';
export { mergePatch } from './merge.ts';
export { threeWayStrategicPatch } from './threeway.ts';

export type PatchType = 'application/merge-patch+json' | 'application/json-patch+json' | 'application/strategic-merge-patch+json';

export const PATCH_TYPES: readonly PatchType[] = ['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json'];

/** How Go's encoding/json names a JSON value that does not fit the type it decodes into. */
function goJsonType(v: unknown): string {
  const t = jsonType(v);
  return t === 'map' ? 'object' : t === 'list' ? 'array' : t === 'undefined' ? 'null' : t;
}

function dropNullMembers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNullMembers);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNullMembers(x);
  return out;
}

function requireMap(patch: unknown, prefix: string): asserts patch is JsonMap {
  if (!isMap(patch)) throw errors.badRequest(`${prefix}json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
}

/** Strategic merge patch of `original`, using the merge keys of `original.kind`. */
export function strategicMergePatch(original: KubeObject, patch: unknown): KubeObject {
  requireMap(patch, '');
  return mergeMap(clone(original) as JsonMap, clone(patch), schemaForKind(original.kind), APPLY) as KubeObject;
}

/** Applies an already-parsed patch body of the given Content-Type; returns a new object. */
export function applyPatch(original: KubeObject, patch: unknown, type: PatchType): KubeObject {
  let out: unknown;
  switch (type) {
    case 'application/merge-patch+json':
      requireMap(patch, 'error decoding patch: ');
      out = mergePatch(original, patch);
      break;
    case 'application/json-patch+json':
      if (!Array.isArray(patch)) throw errors.badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type []handlers.jsonPatchOp`);
      // The API server decodes the result into its Go type, where a null member is just unset.
      out = dropNullMembers(jsonPatch(original, patch));
      break;
    case 'application/strategic-merge-patch+json':
      out = strategicMergePatch(original, patch);
      break;
    default:
      throw errors.unsupportedMediaType(String(type));
  }
  if (!isMap(out)) throw errors.badRequest(`the patched object must be a JSON object, got ${goJsonType(out)}`);
  return out as KubeObject;
}

// JSON merge patch (RFC 7386), what `kubectl label`, `annotate`, `scale` and
// `patch --type=merge` send: objects merge recursively, `null` removes, anything else replaces.
import { clone, isMap } from './util.ts';

/** Returns a new value; neither argument is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete out[name];
    else out[name] = mergePatch(out[name], value);
  }
  return out;
}

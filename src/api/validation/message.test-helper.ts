// Test helper: what kubectl prints for an object the API server refuses (`The Service "x" is
// invalid: ...`), built as the server builds it: defaults first, then validation (against the
// old object on an update), then errors.invalid's Status, rendered as kubectl renders it.
import { apiErrorMessage } from '../../cli/errors.ts';
import { applyDefaults } from '../defaults/index.ts';
import { byKind } from '../resources.ts';
import { errors } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { validate } from './index.ts';

/** kubectl's message for `obj` (updating `old`), or 'valid'. */
export function message(obj: object, old?: object): string {
  const o = structuredClone(obj) as KubeObject;
  applyDefaults(o);
  let prev: KubeObject | undefined;
  if (old) {
    prev = structuredClone(old) as KubeObject;
    applyDefaults(prev);
  }
  const causes = validate(o, prev);
  if (causes.length === 0) return 'valid';
  return apiErrorMessage(errors.invalid(byKind(o.apiVersion, o.kind)!, o.metadata?.name ?? '', causes));
}

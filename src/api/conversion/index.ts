// Conversion between a served version and the version objects are stored in, for the resources
// served in a version they are not stored in (ResourceType.convert): Ingress at
// networking.k8s.io/v1beta1 and extensions/v1beta1, stored as networking.k8s.io/v1, and
// HorizontalPodAutoscaler at autoscaling/v1, stored as autoscaling/v2.
import { groupVersion, type ResourceType } from '../resources.ts';
import type { KubeObject } from '../types.ts';
import { hpaToV1, hpaToV2 } from './hpa.ts';
import { ingressFromV1, ingressToV1 } from './ingress.ts';

export interface Converter {
  /** served version → stored version */
  in(obj: Record<string, any>): KubeObject;
  /** stored version → served version */
  out(obj: KubeObject): KubeObject;
}

/** The converter of a resource with `convert`. */
export function converterFor(r: ResourceType): Converter {
  const gv = groupVersion(r);
  if (r.kind === 'Ingress' && r.convert?.storage === 'networking.k8s.io/v1') return { in: (o) => ingressToV1(o), out: (o) => ingressFromV1(o, gv) };
  if (r.kind === 'HorizontalPodAutoscaler' && r.convert?.storage === 'autoscaling/v2') return { in: (o) => hpaToV2(o), out: (o) => hpaToV1(o) };
  throw new Error(`no conversion from ${gv} ${r.kind} to ${r.convert?.storage ?? '(none)'}`);
}

/** An object as it is stored (itself when its version is the stored one). */
export function toStorageVersion(r: ResourceType, obj: Record<string, any>): KubeObject {
  return r.convert ? converterFor(r).in(obj) : (obj as KubeObject);
}

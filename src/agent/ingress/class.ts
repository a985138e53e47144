// Which Ingresses this controller serves, as ingress-nginx decides with
// `--controller-class=k8s.io/ingress-nginx --ingress-class=nginx`:
//   - the annotation kubernetes.io/ingress.class, when present, must say `nginx`;
//   - else spec.ingressClassName must name an IngressClass whose controller is ours;
//   - else (no class at all) it is served when one of our IngressClasses is the default.
import type { KubeObject } from '../../api/types.ts';

export const CONTROLLER = 'k8s.io/ingress-nginx';
export const CLASS_NAME = 'nginx';
export const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export function isDefaultClass(ic: KubeObject): boolean {
  return ic.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** Does an Ingress belong to this controller, given the IngressClasses by name? */
export function isServed(ing: KubeObject, classes: ReadonlyMap<string, KubeObject>): boolean {
  const ann = ing.metadata.annotations?.[CLASS_ANNOTATION];
  if (ann !== undefined) return ann === CLASS_NAME;
  const name = ing.spec?.ingressClassName;
  if (name) return classes.get(name)?.spec?.controller === CONTROLLER;
  for (const ic of classes.values()) if (ic.spec?.controller === CONTROLLER && isDefaultClass(ic)) return true;
  return false;
}

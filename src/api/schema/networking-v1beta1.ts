// Schemas of the Ingress as networking.k8s.io/v1beta1 and extensions/v1beta1 served it (both
// the same shape, under their own definition names): `backend` with serviceName/servicePort,
// pathType optional. Objects in these versions are converted to networking.k8s.io/v1 for
// storage (src/api/conversion/ingress.ts).
import { topLevel } from './meta.ts';
import { arr, core, i32, intOrString, obj, str, strings } from './types.ts';

function ingressSchema(pkg: string) {
  const backend = obj(pkg + 'IngressBackend', {
    serviceName: str,
    servicePort: intOrString,
    resource: core('TypedLocalObjectReference', { apiGroup: str, kind: str, name: str }, ['kind', 'name']),
  });
  return topLevel(pkg + 'Ingress', {
    spec: obj(pkg + 'IngressSpec', {
      ingressClassName: str,
      backend,
      tls: arr(obj(pkg + 'IngressTLS', { hosts: strings, secretName: str })),
      rules: arr(
        obj(pkg + 'IngressRule', {
          host: str,
          http: obj(pkg + 'HTTPIngressRuleValue', { paths: arr(obj(pkg + 'HTTPIngressPath', { path: str, pathType: str, backend }, ['backend'])) }, ['paths']),
        }),
      ),
    }),
    status: obj(pkg + 'IngressStatus', {
      loadBalancer: obj(pkg + 'IngressLoadBalancerStatus', {
        ingress: arr(
          obj(pkg + 'IngressLoadBalancerIngress', {
            ip: str,
            hostname: str,
            ports: arr(obj(pkg + 'IngressPortStatus', { port: i32, protocol: str, error: str }, ['port', 'protocol'])),
          }),
        ),
      }),
    }),
  });
}

export const ingressNetworkingV1beta1 = ingressSchema('io.k8s.api.networking.v1beta1.');
export const ingressExtensionsV1beta1 = ingressSchema('io.k8s.api.extensions.v1beta1.');

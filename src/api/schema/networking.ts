// Schemas of networking.k8s.io/v1 Ingress and IngressClass.
import { topLevel } from './meta.ts';
import { arr, core, i32, obj, str, strings } from './types.ts';

const NET = 'io.k8s.api.networking.v1.';

const ingressBackend = obj(NET + 'IngressBackend', {
  service: obj(
    NET + 'IngressServiceBackend',
    { name: str, port: obj(NET + 'ServiceBackendPort', { name: str, number: i32 }) },
    ['name'],
  ),
  resource: core('TypedLocalObjectReference', { apiGroup: str, kind: str, name: str }, ['kind', 'name']),
});

export const ingress = topLevel(NET + 'Ingress', {
  spec: obj(NET + 'IngressSpec', {
    ingressClassName: str,
    defaultBackend: ingressBackend,
    tls: arr(obj(NET + 'IngressTLS', { hosts: strings, secretName: str })),
    rules: arr(
      obj(NET + 'IngressRule', {
        host: str,
        http: obj(
          NET + 'HTTPIngressRuleValue',
          { paths: arr(obj(NET + 'HTTPIngressPath', { path: str, pathType: str, backend: ingressBackend }, ['pathType', 'backend'])) },
          ['paths'],
        ),
      }),
    ),
  }),
  status: obj(NET + 'IngressStatus', {
    loadBalancer: obj(NET + 'IngressLoadBalancerStatus', {
      ingress: arr(
        obj(NET + 'IngressLoadBalancerIngress', {
          ip: str,
          hostname: str,
          ports: arr(obj(NET + 'IngressPortStatus', { port: i32, protocol: str, error: str }, ['port', 'protocol'])),
        }),
      ),
    }),
  }),
});

export const ingressClass = topLevel(NET + 'IngressClass', {
  spec: obj(NET + 'IngressClassSpec', {
    controller: str,
    parameters: obj(NET + 'IngressClassParametersReference', { apiGroup: str, kind: str, name: str, scope: str, namespace: str }, ['kind', 'name']),
  }),
});

// kube-controller-manager's root-ca-cert-publisher: a ConfigMap `kube-root-ca.crt` in every
// active namespace whose `ca.crt` is the cluster CA (what a pod's projected service account
// volume mounts as ca.crt), with its description annotation; put back when deleted or changed.
import { R } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { PerNamespaceObject } from './namespace-objects.ts';

import { ROOT_CA_CONFIGMAP } from '../api/serviceaccounts.ts';

export { ROOT_CA_CONFIGMAP };
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function rootCAPublisher(caPem: string): PerNamespaceObject {
  return {
    r: R.configmaps,
    name: ROOT_CA_CONFIGMAP,
    desired: (namespace) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
      data: { 'ca.crt': caPem },
    }),
    // only the data and the one annotation are ours: other labels and annotations stay
    repair(existing: KubeObject): KubeObject | undefined {
      const data = existing.data as Record<string, string> | undefined;
      const sameData = data !== undefined && Object.keys(data).length === 1 && data['ca.crt'] === caPem;
      if (sameData && existing.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return undefined;
      return {
        ...existing,
        metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { 'ca.crt': caPem },
      };
    },
  };
}

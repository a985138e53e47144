// The seam through which projected volumes get service account tokens. The kubelet never makes
// tokens: it asks a TokenSource (the service-accounts part of mk fills it: a TokenRequest for the
// pod's service account, bound to the pod) and writes the answer as the source's `path`, renewing
// it when 80% of its life has passed (or after 24 h), as the kubelet's token manager does. Until a
// source is given, such a volume fails to mount with a message saying why.
//
// The volume the ServiceAccount admission plugin adds to every pod (kubeApiAccessVolume) is built
// here too, so both sides agree on its layout: `token`, `ca.crt` (from the kube-root-ca.crt
// ConfigMap of the pod's namespace) and `namespace`, mounted at
// /var/run/secrets/kubernetes.io/serviceaccount.
import type { KubeObject } from '../../../api/types.ts';
import type { Clock } from '../../../controllers/clock.ts';

export interface ServiceAccountToken {
  token: string;
  expirationTimestamp: Date;
}

export interface TokenRequestOptions {
  /** the service account (pod.spec.serviceAccountName, `default` when empty) */
  serviceAccountName: string;
  /** empty: the API server's own audience */
  audience?: string;
  expirationSeconds: number;
}

export interface TokenSource {
  /** A token for the pod's service account, bound to the pod; throws with the reason when none can be had. */
  requestToken(pod: KubeObject, o: TokenRequestOptions): Promise<ServiceAccountToken>;
}

export const noTokenSource: TokenSource = {
  async requestToken() {
    throw new Error('mk has no service account token source on this node');
  },
};

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** The projected volume kube-apiserver's ServiceAccount admission adds (`kube-api-access-<suffix>`). */
export function kubeApiAccessVolume(suffix: string): KubeObject['spec'] {
  return {
    name: `kube-api-access-${suffix}`,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

const MAX_TTL_MS = 24 * 3600 * 1000;

/** A TokenSource that keeps each token until it needs renewing (kubelet's token manager). */
export function cachingTokenSource(source: TokenSource, clock: Pick<Clock, 'now'>): TokenSource & { forget(podUid: string): void } {
  const cache = new Map<string, { t: ServiceAccountToken; issuedAt: number }>();
  return {
    async requestToken(pod, o) {
      const key = `${pod.metadata.uid}/${o.serviceAccountName}/${o.audience ?? ''}/${o.expirationSeconds}`;
      const now = clock.now();
      const hit = cache.get(key);
      if (hit) {
        const exp = hit.t.expirationTimestamp.getTime();
        const renewAt = hit.issuedAt + Math.min((exp - hit.issuedAt) * 0.8, MAX_TTL_MS);
        if (now < renewAt) return hit.t;
      }
      const t = await source.requestToken(pod, o);
      cache.set(key, { t, issuedAt: now });
      return t;
    },
    forget(podUid) {
      for (const k of [...cache.keys()]) if (k.startsWith(`${podUid}/`)) cache.delete(k);
    },
  };
}

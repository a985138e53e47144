// What a pod's service account volume is, once for the API server (the ServiceAccount admission
// plugin adds it; root-ca-cert-publisher fills its ConfigMap) and the kubelet (which writes it):
// the projected volume `kube-api-access-xxxxx` of a bound token, the cluster CA from
// kube-root-ca.crt and the namespace, mounted read-only at the standard path.

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** the ConfigMap every namespace holds, its `ca.crt` the cluster CA */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** the token life the admission plugin asks for (kube-apiserver extends such tokens, warning only) */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;

/** The admission plugin's projected volume source (TokenVolumeSource). */
export function tokenVolumeSource(): Record<string, any> {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: WARN_ONLY_EXPIRATION_SECONDS } },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** The whole volume (`kube-api-access-<suffix>`), as a pod carries it once admitted. */
export function kubeApiAccessVolume(suffix: string): Record<string, any> {
  return { name: `${TOKEN_VOLUME_PREFIX}${suffix}`, projected: tokenVolumeSource() };
}

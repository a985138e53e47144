// The seam through which projected volumes get service account tokens. The kubelet never makes
// tokens: it asks a TokenSource (../sa-token.ts: a TokenRequest for the pod's service account,
// bound to the pod, kept until 80% of its life has passed, as the kubelet's token manager does)
// and writes the answer as the source's `path`. Without a source, such a volume fails to mount
// with a message saying why.
// (The volume the ServiceAccount admission plugin adds to every pod is in src/api/serviceaccounts.ts.)
import type { KubeObject } from '../../../api/types.ts';

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

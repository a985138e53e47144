// The kubelet's service account token manager (pkg/kubelet/token): a token for a pod's account,
// bound to the pod, from the API server's TokenRequest (POST serviceaccounts/NAME/token), kept per
// (pod uid, audience, expiration) and asked for again once 80% of its life has passed, or after
// 24 hours, minus up to 10 s of jitter, as the kubelet does. Until a renewal succeeds the cached
// token is handed out while it is valid. It is the TokenSource projected volumes' `serviceAccountToken`
// sources ask (volumes/token.ts).
import type { Clock } from '../../controllers/clock.ts';
import type { KubeletClient } from './context.ts';
import type { TokenSource } from './volumes/token.ts';

interface PodToken {
  token: string;
  /** RFC 3339, what the TokenRequest's status says (the requested life, not an extension) */
  expirationTimestamp: string;
}

const MAX_TTL_MS = 24 * 3600 * 1000;
const MAX_JITTER_MS = 10_000;

interface Cached extends PodToken {
  expirationSeconds: number;
}

/** The kubelet's requiresRefresh: 80% of the life gone (or 24 h), minus the jitter. */
export function requiresRefresh(t: Cached, now: number, jitterMs: number): boolean {
  const exp = Date.parse(t.expirationTimestamp);
  const iat = exp - t.expirationSeconds * 1000;
  if (now > iat + MAX_TTL_MS - jitterMs) return true;
  return now > exp - (t.expirationSeconds * 1000 * 20) / 100 - jitterMs;
}

export function podTokenSource(client: Pick<KubeletClient, 'json'>, clock: Pick<Clock, 'now'>, random: () => number = Math.random): TokenSource & { forget(podUid: string): void } {
  const cache = new Map<string, Cached>();
  return {
    async requestToken(pod, { serviceAccountName, audience, expirationSeconds }) {
      const uid = pod.metadata.uid!;
      const key = `${uid}/${audience ?? ''}/${expirationSeconds}`;
      const cached = cache.get(key);
      const now = clock.now();
      if (cached && !requiresRefresh(cached, now, random() * MAX_JITTER_MS)) return asToken(cached);
      const ns = pod.metadata.namespace ?? 'default';
      const sa = serviceAccountName || 'default';
      const body = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          audiences: audience ? [audience] : [],
          expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid },
        },
      };
      try {
        const tr = await client.json<{ status: PodToken }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${encodeURIComponent(sa)}/token`, body);
        const fresh: Cached = { token: tr.status.token, expirationTimestamp: tr.status.expirationTimestamp, expirationSeconds };
        cache.set(key, fresh);
        return asToken(fresh);
      } catch (e) {
        if (cached && Date.parse(cached.expirationTimestamp) > now) return asToken(cached);
        throw e;
      }
    },
    forget(podUid) {
      for (const k of cache.keys()) if (k.startsWith(`${podUid}/`)) cache.delete(k);
    },
  };
}

const asToken = (t: PodToken) => ({ token: t.token, expirationTimestamp: new Date(t.expirationTimestamp) });

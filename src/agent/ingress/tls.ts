// TLS material for the HTTPS listener: one SecureContext per Secret of type kubernetes.io/tls
// (tls.crt + tls.key), kept current from the Secrets informer, and the fake certificate for
// every name no Secret covers. SNI picks the context through the routing table's tlsFor(host).
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { KubeObject } from '../../api/types.ts';

interface Entry {
  resourceVersion?: string;
  context?: tls.SecureContext;
  x509?: X509Certificate;
  /** why the Secret cannot be used */
  error?: string;
}

export class Certificates {
  private readonly secrets = new Map<string, Entry>();
  /** the default certificate's context (set once it is made) */
  fallback?: tls.SecureContext;

  /** Takes in a Secret; answers whether anything a TLS host could use changed. */
  setSecret(o: KubeObject): boolean {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    const data = (o as { data?: Record<string, string> }).data ?? {};
    const usable = o.type === 'kubernetes.io/tls' || (data['tls.crt'] !== undefined && data['tls.key'] !== undefined);
    if (!usable) return this.secrets.delete(key);
    const old = this.secrets.get(key);
    if (old && old.resourceVersion === o.metadata.resourceVersion) return false;
    const e: Entry = { resourceVersion: o.metadata.resourceVersion };
    try {
      const cert = Buffer.from(data['tls.crt'] ?? '', 'base64');
      const key_ = Buffer.from(data['tls.key'] ?? '', 'base64');
      e.context = tls.createSecureContext({ cert, key: key_ });
      e.x509 = new X509Certificate(cert);
    } catch (err) {
      e.context = undefined;
      e.error = err instanceof Error ? err.message : String(err);
    }
    this.secrets.set(key, e);
    return true;
  }

  deleteSecret(o: KubeObject): boolean {
    return this.secrets.delete(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  /** The Secret's context, or the fallback when it is missing or unusable. */
  context(secretKey: string | undefined): tls.SecureContext | undefined {
    return (secretKey ? this.secrets.get(secretKey)?.context : undefined) ?? this.fallback;
  }

  /** Does the Secret's certificate name this host (SAN, or CN without SANs)? */
  covers(secretKey: string, host: string): boolean {
    const x = this.secrets.get(secretKey)?.x509;
    return !!x && x.checkHost(host) !== undefined;
  }

  error(secretKey: string): string | undefined {
    const e = this.secrets.get(secretKey);
    return e ? e.error : 'not found';
  }
}

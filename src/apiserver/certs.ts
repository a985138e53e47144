// The cluster's TLS material: a per-cluster CA and the API server's serving certificate,
// kept in the data dir (ca.crt, ca.key, apiserver.crt, apiserver.key) and reused on restart so
// a written kubeconfig stays valid. The serving cert is re-issued from the same CA when a
// required SAN is missing (e.g. a new node IP passed as an extra SAN).
import { X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP } from '../api/network.ts';

export const DEFAULT_SANS: readonly string[] = [
  '127.0.0.1',
  'localhost',
  KUBERNETES_SERVICE_IP,
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
];

export interface ClusterCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The SANs a serving certificate carries, in node's `DNS:x, IP Address:y` form, as plain names. */
function sansOf(certPem: string): Set<string> {
  const alt = new NodeX509(certPem).subjectAltName ?? '';
  return new Set(alt.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, '')));
}

/** Loads the certificates from dataDir, creating the CA and the serving cert as needed. */
export async function ensureCerts(dataDir: string, extraSANs: string[] = []): Promise<ClusterCerts> {
  const f = (n: string) => join(dataDir, n);
  const sans = [...new Set([...DEFAULT_SANS, ...extraSANs])];
  let caPem: string;
  let caKeyPem: string;
  if (existsSync(f('ca.crt')) && existsSync(f('ca.key'))) {
    caPem = readFileSync(f('ca.crt'), 'utf8');
    caKeyPem = readFileSync(f('ca.key'), 'utf8');
  } else {
    ({ caPem, caKeyPem } = await (await import('./cert-issuer.ts')).issueCA());
    writeFileSync(f('ca.key'), caKeyPem, { mode: 0o600 });
    writeFileSync(f('ca.crt'), caPem);
  }
  if (existsSync(f('apiserver.crt')) && existsSync(f('apiserver.key'))) {
    const certPem = readFileSync(f('apiserver.crt'), 'utf8');
    const have = sansOf(certPem);
    if (sans.every((s) => have.has(s)) && new NodeX509(certPem).checkIssued(new NodeX509(caPem))) {
      return { caPem, certPem, keyPem: readFileSync(f('apiserver.key'), 'utf8') };
    }
  }
  const serving = await (await import('./cert-issuer.ts')).issueServing(caPem, caKeyPem, sans);
  writeFileSync(f('apiserver.key'), serving.keyPem, { mode: 0o600 });
  writeFileSync(f('apiserver.crt'), serving.certPem);
  return { caPem, ...serving };
}

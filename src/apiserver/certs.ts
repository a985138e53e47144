// The cluster's TLS material: a per-cluster CA and the API server's serving certificate,
// kept in the data dir (ca.crt, ca.key, apiserver.crt, apiserver.key) and reused on restart so
// a written kubeconfig stays valid. The serving cert is re-issued from the same CA when a
// required SAN is missing (e.g. a new node IP passed as an extra SAN).
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs a Reflect metadata polyfill loaded first
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const DEFAULT_SANS: readonly string[] = [
  '127.0.0.1',
  'localhost',
  '10.96.0.1',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

export interface ClusterCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function unpem(text: string): Buffer {
  return Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function createCA(): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=mkCA',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function createServing(ca: x509.X509Certificate, caKey: CryptoKey, sans: string[]): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
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
    const ca = await createCA();
    caPem = ca.cert.toString('pem') + '\n';
    caKeyPem = await exportKey(ca.keys.privateKey);
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
  const caKey = (await webcrypto.subtle.importKey('pkcs8', unpem(caKeyPem), EC, false, ['sign'])) as unknown as CryptoKey;
  const serving = await createServing(new x509.X509Certificate(caPem), caKey, sans);
  writeFileSync(f('apiserver.key'), serving.keyPem, { mode: 0o600 });
  writeFileSync(f('apiserver.crt'), serving.certPem);
  return { caPem, ...serving };
}

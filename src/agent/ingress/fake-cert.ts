// ingress-nginx's default ("fake") certificate, made once per controller start: self-signed,
// CN `Kubernetes Ingress Controller Fake Certificate`, O `Acme Co`, DNS name `ingress.local`,
// valid a year (internal/net/ssl/ssl.go GetFakeSSLCert). ECDSA P-256 instead of RSA 2048: the
// same for a client that does not verify it, and made in milliseconds.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs a Reflect metadata polyfill loaded first
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export const FAKE_CN = 'Kubernetes Ingress Controller Fake Certificate';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const YEAR = 365 * 24 * 3600 * 1000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** ingress-nginx's default certificate. */
export function fakeCertificate(now = Date.now()): Promise<{ certPem: string; keyPem: string }> {
  return selfSigned({ cn: FAKE_CN, org: 'Acme Co', dnsNames: ['ingress.local'], now });
}

/** A self-signed serving certificate (also what tests put in kubernetes.io/tls Secrets). */
export async function selfSigned(o: { cn: string; org?: string; dnsNames: string[]; now?: number }): Promise<{ certPem: string; keyPem: string }> {
  const now = o.now ?? Date.now();
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${o.cn}${o.org ? `, O=${o.org}` : ''}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + YEAR),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(o.dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

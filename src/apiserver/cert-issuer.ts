// Issuing the cluster's certificates with @peculiar/x509 (ECDSA P-256 through node's
// WebCrypto). Loaded only when a certificate has to be made: the library and its Reflect
// polyfill cost about 200 ms of start-up, which a restart with certificates on disk skips.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs a Reflect metadata polyfill loaded first
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function unpem(text: string): Buffer {
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

/** A new CA: its certificate and private key, PEM. */
export async function issueCA(): Promise<{ caPem: string; caKeyPem: string }> {
  const ca = await createCA();
  return { caPem: ca.cert.toString('pem') + '\n', caKeyPem: await exportKey(ca.keys.privateKey) };
}

/** A serving certificate for `sans`, signed by the CA given as PEM. */
export async function issueServing(caPem: string, caKeyPem: string, sans: string[]): Promise<{ certPem: string; keyPem: string }> {
  const caKey = (await webcrypto.subtle.importKey('pkcs8', unpem(caKeyPem), EC, false, ['sign'])) as unknown as CryptoKey;
  return createServing(new x509.X509Certificate(caPem), caKey, sans);
}

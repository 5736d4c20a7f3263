/**
 * The TLS listener's certificate: self-signed, made at start (the `selfsigned`
 * package, loaded only when a TLS port is asked for), valid for the loopback
 * names a client may type (`127.0.0.1`, `localhost`, `::1`) for 30 days. An
 * EC P-256 key: quick to make, accepted by browsers. Nothing is written to disk.
 */
import { createHash, X509Certificate } from 'node:crypto';

export interface TlsCredentials {
  /** Private key (PEM). */
  key: string;
  /** Certificate (PEM). */
  cert: string;
  /**
   * Base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's
   * `--ignore-certificate-errors-spki-list` takes to trust this one certificate.
   */
  spkiSha256: string;
  /** SHA-256 fingerprint of the certificate (colon-separated hex). */
  fingerprint256: string;
}

const VALID_DAYS = 30;

/** Base64 SHA-256 of a certificate's SubjectPublicKeyInfo (DER). */
export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** A fresh self-signed certificate for the loopback names (plus `host` when it is another loopback address). */
export async function selfSignedCertificate(host: string): Promise<TlsCredentials> {
  const { generate } = await import('selfsigned');
  const ips = [...new Set(['127.0.0.1', '::1', host])];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'vinteo-dev-server (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { key: pems.private, cert: pems.cert, spkiSha256: spkiHash(pems.cert), fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}

import { connect, checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import { networkReason } from './probe.js';
import { systemClock, type Clock } from './types.js';

const DAY_MS = 86_400_000;

export interface CertificateReport {
  host: string;
  port: number;
  subject?: string;
  issuer?: string;
  validTo?: string;
  /** Whole days of validity left (floor); negative once expired. */
  daysLeft?: number;
  /** Problems found, each one line; empty when the certificate is fine. */
  problems: string[];
}

export interface CertificateCheckOptions {
  minDays: number;
  timeoutMs: number;
  /** Trust anchors instead of the system store: tests only (the action uses the system store). */
  ca?: string | string[];
  /** The gate's clock (days left are counted from its now). */
  clock?: Pick<Clock, 'now'>;
}

/**
 * Checks the certificate a client of `url` gets: the chain verifies against the trust store, it is valid
 * for the host name, and it has at least `minDays` left. App Platform renews its Let's Encrypt
 * certificates itself, so few days left means renewal is failing. Connects with verification off to read
 * the certificate whatever is wrong with it, then applies each rule itself so every problem is named.
 */
export async function checkCertificate(url: URL, o: CertificateCheckOptions): Promise<CertificateReport> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const clock = o.clock ?? systemClock;
  const { cert, authorizationError } = await handshake(host, port, o);
  const report: CertificateReport = { host, port, problems: [] };
  if (!cert || !cert.valid_to) {
    report.problems.push(`the server at ${host}:${port} sent no certificate`);
    return report;
  }
  report.subject = nameOf(cert.subject) ?? cert.subjectaltname;
  report.issuer = nameOf(cert.issuer);
  report.validTo = new Date(cert.valid_to).toISOString();
  report.daysLeft = Math.floor((Date.parse(cert.valid_to) - clock.now()) / DAY_MS);

  if (authorizationError)
    report.problems.push(`certificate chain does not verify: ${explainChainError(authorizationError)}`);
  const identityError = checkServerIdentity(host, cert);
  if (identityError)
    report.problems.push(
      `certificate is not valid for host '${host}': it names ${cert.subjectaltname || `CN=${report.subject ?? '?'}`}`
    );
  if (report.daysLeft < o.minDays)
    report.problems.push(
      report.daysLeft < 0
        ? `certificate expired on ${report.validTo}`
        : `certificate expires in ${report.daysLeft} days (${report.validTo}), fewer than min-certificate-days ${o.minDays}: its renewal is failing`
    );
  return report;
}

function handshake(
  host: string,
  port: number,
  o: CertificateCheckOptions
): Promise<{ cert?: PeerCertificate; authorizationError?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      ca: o.ca,
      rejectUnauthorized: false,
      // The host name is checked separately below, so the chain error stays about the chain.
      checkServerIdentity: () => undefined
    });
    socket.setTimeout(o.timeoutMs, () =>
      socket.destroy(new Error(`TLS handshake with ${host}:${port} took longer than ${o.timeoutMs} ms`))
    );
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false);
      const authorizationError = socket.authorized
        ? undefined
        : String(socket.authorizationError ?? 'not authorized');
      socket.end();
      resolve({ cert: cert && Object.keys(cert).length ? cert : undefined, authorizationError });
    });
    socket.once('error', error =>
      reject(new Error(`TLS check of ${host}:${port} failed: ${networkReason(error)}`))
    );
  });
}

const CHAIN_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed (untrusted)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer is not trusted (unknown CA or missing intermediate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not trusted (unknown CA or missing intermediate)',
  CERT_HAS_EXPIRED: 'a certificate in the chain has expired',
  CERT_NOT_YET_VALID: 'a certificate in the chain is not valid yet'
};

function explainChainError(code: string): string {
  return CHAIN_ERRORS[code] ? `${CHAIN_ERRORS[code]} (${code})` : code;
}

function nameOf(dn: { CN?: string | string[] } | undefined): string | undefined {
  const cn = dn?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

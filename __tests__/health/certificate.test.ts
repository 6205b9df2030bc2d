import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkCertificate } from '../../src/health/certificate.js';
import { createTestPki, type KeyPair, type TestPki } from './helpers/certs.js';
import { healthy, startHealthServer } from './helpers/servers.js';

/** Certificates made by `openssl` in the test, served by a real HTTPS server, checked through node:tls. */
let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.dispose());

async function check(pair: KeyPair, opts: { ca?: string; minDays?: number } = {}) {
  const s = await startHealthServer(() => healthy(), pair);
  try {
    return await checkCertificate(new URL(s.url), {
      minDays: opts.minDays ?? 7,
      timeoutMs: 5000,
      ca: opts.ca
    });
  } finally {
    await s.close();
  }
}

describe('checkCertificate', () => {
  it('accepts a certificate for the host from a trusted CA with enough days left', async () => {
    const r = await check(pki.leaf({ days: 30, san: 'IP:127.0.0.1,DNS:localhost' }), { ca: pki.ca.cert });
    expect(r.problems).toEqual([]);
    expect(r.daysLeft).toBe(29);
    expect(r.issuer).toBe('Health Gate Test CA');
  });

  it('fails a certificate expiring sooner than min-certificate-days, saying renewal is failing', async () => {
    const r = await check(pki.leaf({ days: 3, san: 'IP:127.0.0.1' }), { ca: pki.ca.cert });
    expect(r.daysLeft).toBe(2);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^certificate expires in 2 days \(.*\), fewer than min-certificate-days 7: its renewal is failing$/
    );
  });

  it('fails a certificate issued for another host name', async () => {
    const r = await check(pki.leaf({ days: 30, san: 'DNS:wrong.example' }), { ca: pki.ca.cert });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain("certificate is not valid for host '127.0.0.1'");
    expect(r.problems[0]).toMatch(/it names DNS:wrong.example$/);
  });

  it('fails an untrusted self-signed certificate', async () => {
    const r = await check(pki.selfSigned({ days: 30, san: 'IP:127.0.0.1' }), { ca: pki.ca.cert });
    expect(r.problems).toEqual([
      'certificate chain does not verify: the certificate is self-signed (untrusted) (DEPTH_ZERO_SELF_SIGNED_CERT)'
    ]);
  });

  it('verifies against the system store when no CA is given, so the test CA is not trusted', async () => {
    const r = await check(pki.leaf({ days: 30, san: 'IP:127.0.0.1' }));
    expect(r.problems).toEqual([
      'certificate chain does not verify: the issuer is not trusted (unknown CA or missing intermediate) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'
    ]);
  });

  it('reports a server that does not speak TLS', async () => {
    const s = await startHealthServer(() => healthy());
    try {
      const url = new URL(s.url.replace('http:', 'https:'));
      await expect(checkCertificate(url, { minDays: 7, timeoutMs: 3000 })).rejects.toThrow(
        /TLS check of 127\.0\.0\.1:\d+ failed: network error/
      );
    } finally {
      await s.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { createHttpProbe } from '../../src/health/probe.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { databaseDown, healthy, startHealthServer } from './helpers/servers.js';

/** Real HTTP(S) servers on loopback; each probe outcome is asserted from what the server answered. */
async function probeOnce(
  url: string,
  opts: { timeoutMs?: number; expectedVersion?: string; ca?: string } = {}
) {
  const prober = createHttpProbe({ url: new URL(url), timeoutMs: opts.timeoutMs ?? 2000, ...opts });
  try {
    return await prober.probe();
  } finally {
    await prober.close();
  }
}

describe('createHttpProbe', () => {
  it('passes a healthy answer and measures its latency', async () => {
    const s = await startHealthServer(() => healthy('abc1234'));
    try {
      const r = await probeOnce(s.url, { expectedVersion: 'abc1234' });
      expect(r).toMatchObject({ ok: true, status: 200, version: 'abc1234' });
      expect(typeof r.latencyMs).toBe('number');
      expect(s.hits).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('fails a 503 and keeps the failing check from its body', async () => {
    const s = await startHealthServer(() => databaseDown());
    try {
      const r = await probeOnce(s.url);
      expect(r).toMatchObject({ ok: false, status: 503, kind: 'http-status', failingChecks: ['database'] });
      expect(r.reason).toBe('HTTP 503; check database: error: connection refused');
    } finally {
      await s.close();
    }
  });

  it('fails a 200 that is not the health JSON', async () => {
    const s = await startHealthServer(() => ({ raw: 'It works!' }));
    try {
      expect(await probeOnce(s.url)).toMatchObject({ ok: false, status: 200, kind: 'body' });
    } finally {
      await s.close();
    }
  });

  it('fails a wrong version', async () => {
    const s = await startHealthServer(() => healthy('def5678'));
    try {
      expect(await probeOnce(s.url, { expectedVersion: 'abc1234' })).toMatchObject({
        ok: false,
        kind: 'version'
      });
    } finally {
      await s.close();
    }
  });

  it('fails an answer slower than request-timeout as a timeout', async () => {
    const s = await startHealthServer(() => ({ ...healthy(), delayMs: 1500 }));
    try {
      const r = await probeOnce(s.url, { timeoutMs: 200 });
      expect(r).toMatchObject({
        ok: false,
        kind: 'timeout',
        latencyMs: 200,
        reason: 'no answer within 200 ms'
      });
    } finally {
      await s.close();
    }
  });

  it('fails a refused connection as a network error naming the code', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>(resolve => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const r = await probeOnce(`http://127.0.0.1:${port}/health`);
    expect(r).toMatchObject({ ok: false, kind: 'network' });
    expect(r.reason).toContain('ECONNREFUSED');
    expect(r.latencyMs).toBeUndefined();
  });

  describe('over https', () => {
    let pki: TestPki;
    beforeAll(() => {
      pki = createTestPki();
    });
    afterAll(() => pki.dispose());

    it('trusts a certificate from the given CA', async () => {
      const s = await startHealthServer(() => healthy(), pki.leaf({ days: 20, san: 'IP:127.0.0.1' }));
      try {
        expect(await probeOnce(s.url, { ca: pki.ca.cert })).toMatchObject({ ok: true, status: 200 });
      } finally {
        await s.close();
      }
    });

    it('does not trust the test CA by default (system store)', async () => {
      const s = await startHealthServer(() => healthy(), pki.leaf({ days: 20, san: 'IP:127.0.0.1' }));
      try {
        const r = await probeOnce(s.url);
        expect(r).toMatchObject({ ok: false, kind: 'network' });
        expect(r.reason).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/);
      } finally {
        await s.close();
      }
    });
  });
});

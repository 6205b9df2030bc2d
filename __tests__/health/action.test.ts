import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { explain, runHealthGate } from './helpers/run-action.js';
import { databaseDown, healthy, startHealthServer, type HealthServer } from './helpers/servers.js';

/**
 * dist/health-gate as a process against small local servers: scripted health answers, TLS certificates made
 * with openssl, and a stand-in API that records every request (so "no rollback" is asserted as zero calls).
 */
let pki: TestPki;
let caFile: string;
let tmp: string;
let api: Server & { calls: string[] };
let apiUrl: string;

beforeAll(async () => {
  pki = createTestPki();
  tmp = mkdtempSync(join(tmpdir(), 'health-action-'));
  caFile = join(tmp, 'ca.pem');
  writeFileSync(caFile, pki.ca.cert);
  const calls: string[] = [];
  api = Object.assign(
    createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      // The gate reads the app once at the start (its token check); every other call is refused.
      if (req.method === 'GET' && req.url === '/v2/apps/app-123') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"app":{"id":"app-123","spec":{"name":"gate-test"},"active_deployment":{"id":"dep-2"}}}');
        return;
      }
      res
        .writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req-4242' })
        .end('{"id":"not_found","message":"The resource you were accessing could not be found."}');
    }),
    { calls }
  );
  await new Promise<void>(r => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  pki.dispose();
  rmSync(tmp, { recursive: true, force: true });
  api.closeAllConnections();
  await new Promise(r => api.close(r));
});

const ACCESS_CHECK = 'GET /v2/apps/app-123';
const withRollback = () => ({ token: 'dop_v1_test_token_not_real', 'app-id': 'app-123', 'api-url': apiUrl });
const quick = {
  interval: '0.1s',
  'request-timeout': '3s',
  'success-threshold': '3',
  'failure-threshold': '3'
};

async function serve(
  answers: Parameters<typeof startHealthServer>[0],
  tls?: Parameters<typeof startHealthServer>[1]
) {
  const s = await startHealthServer(answers, tls);
  servers.push(s);
  return s;
}
const servers: HealthServer[] = [];
afterAll(() => Promise.all(servers.map(s => s.close())));

describe('dist/health-gate as a process', () => {
  it('does not roll back when failures stay below failure-threshold in a row', async () => {
    const pattern = [false, false, true, false, false, true, true, true, true];
    const s = await serve(n => (pattern[n - 1] === false ? databaseDown('v2') : healthy('v2')));
    const before = api.calls.length;
    const run = await runHealthGate({
      ...quick,
      url: s.url,
      'expected-version': 'v2',
      window: '0.8s',
      ...withRollback()
    });
    await explain(run, () => {
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        healthy: 'true',
        'rolled-back': 'false',
        checks: '9',
        failures: '4'
      });
      expect(s.hits).toBe(9);
      expect(api.calls.slice(before).filter(c => c !== ACCESS_CHECK)).toEqual([]);
    });
  });

  it('fails answers slower than max-latency (p95), without any failed probe', async () => {
    const s = await serve(() => ({ ...healthy('v2'), delayMs: 400 }));
    const run = await runHealthGate({
      ...quick,
      url: s.url,
      window: '0.2s',
      'max-latency': '150ms',
      rollback: 'false'
    });
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ healthy: 'false', checks: '3', failures: '0' });
      expect(Number(run.outputs['p95-latency-ms'])).toBeGreaterThanOrEqual(400);
      expect(run.stdout).toMatch(
        /::error::The release failed the health gate: p95 latency \d+ ms is above max-latency 150 ms/
      );
    });
  });

  it('passes an https URL whose certificate the trust store (NODE_EXTRA_CA_CERTS) accepts, reporting its days left', async () => {
    const s = await serve(() => healthy('v2'), pki.leaf({ days: 30, san: 'IP:127.0.0.1' }));
    const run = await runHealthGate(
      { ...quick, url: s.url, window: '0.2s', rollback: 'false' },
      { NODE_EXTRA_CA_CERTS: caFile }
    );
    await explain(run, () => {
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ healthy: 'true', 'certificate-days-left': '29' });
    });
  });

  it('fails a certificate expiring sooner than min-certificate-days, without probing or rolling back', async () => {
    const s = await serve(() => healthy('v2'), pki.leaf({ days: 3, san: 'IP:127.0.0.1' }));
    const before = api.calls.length;
    const run = await runHealthGate(
      { ...quick, url: s.url, window: '0.2s', ...withRollback() },
      { NODE_EXTRA_CA_CERTS: caFile }
    );
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        healthy: 'false',
        'rolled-back': 'false',
        'certificate-days-left': '2',
        checks: '0'
      });
      expect(run.stdout).toMatch(
        /::error::The release failed the health gate: certificate expires in 2 days \(.*\), fewer than min-certificate-days 7: its renewal is failing/
      );
      expect(s.hits).toBe(0);
      expect(api.calls.slice(before).filter(c => c !== ACCESS_CHECK)).toEqual([]);
    });
  });

  it('fails a certificate for another host name', async () => {
    const s = await serve(() => healthy('v2'), pki.leaf({ days: 30, san: 'DNS:signupflow.example.org' }));
    const run = await runHealthGate(
      { ...quick, url: s.url, window: '0.2s', rollback: 'false' },
      { NODE_EXTRA_CA_CERTS: caFile }
    );
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "::error::The release failed the health gate: certificate is not valid for host '127.0.0.1': it names DNS:signupflow.example.org"
      );
    });
  });

  it('verifies against the system store: a certificate from an unknown CA is untrusted', async () => {
    const s = await serve(() => healthy('v2'), pki.leaf({ days: 30, san: 'IP:127.0.0.1' }));
    const run = await runHealthGate({ ...quick, url: s.url, window: '0.2s', rollback: 'false' });
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        '::error::The release failed the health gate: certificate chain does not verify: the issuer is not trusted (unknown CA or missing intermediate) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'
      );
    });
  });

  it('fails an untrusted self-signed certificate', async () => {
    const s = await serve(() => healthy('v2'), pki.selfSigned({ days: 30, san: 'IP:127.0.0.1' }));
    const run = await runHealthGate(
      { ...quick, url: s.url, window: '0.2s', rollback: 'false' },
      { NODE_EXTRA_CA_CERTS: caFile }
    );
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'certificate chain does not verify: the certificate is self-signed (untrusted) (DEPTH_ZERO_SELF_SIGNED_CERT)'
      );
    });
  });

  it('names app-id up front when rollback is on without it, before any probe', async () => {
    const s = await serve(() => healthy('v2'));
    const run = await runHealthGate({ ...quick, url: s.url, token: 'dop_v1_x_secret' });
    await explain(run, () => {
      expect(run.code).toBe(1);
      // Nothing but the masks (the token in each form it can take) and the one line naming the input.
      const lines = run.stdout.trim().split('\n');
      expect(lines).toContain('::add-mask::dop_v1_x_secret');
      expect(lines.filter(l => !l.startsWith('::add-mask::'))).toEqual([
        "::error::Input 'app-id' is required when rollback is true (the id of the App Platform app)"
      ]);
      expect(s.hits).toBe(0);
    });
  });

  describe("the probe URL's credentials are masked as the kit masks every URL's", () => {
    const withCredentials = (base: string, user: string, password?: string, query?: [string, string]) => {
      const u = new URL(base);
      u.username = user;
      if (password !== undefined) u.password = password;
      if (query) u.searchParams.set(...query);
      return u.toString();
    };
    const notMasks = (run: { stdout: string }) =>
      run.stdout
        .trim()
        .split('\n')
        .filter(l => !l.startsWith('::add-mask::'));

    it('user:password: the password in every form and base64 user:password; the user name alone stays readable', async () => {
      const s = await serve(() => healthy('v2'));
      const url = withCredentials(s.url, 'prober', 'pr0be-s3cret-pass');
      const run = await runHealthGate({ ...quick, url, window: '0.2s', rollback: 'false' });
      await explain(run, () => {
        expect(run.code).toBe(0);
        const masks = run.stdout.split('\n').filter(l => l.startsWith('::add-mask::'));
        expect(masks).toContain('::add-mask::pr0be-s3cret-pass');
        expect(masks).toContain(`::add-mask::${Buffer.from('prober:pr0be-s3cret-pass').toString('base64')}`);
        // A user name is no secret (the kit registers none): masking 'prober' would garble every word holding it.
        expect(masks).not.toContain('::add-mask::prober');
        expect(run.summary).toContain(`http://prober:***@127.0.0.1`);
        expect(run.summary).not.toContain('pr0be-s3cret-pass');
      });
    });

    it('a token given as the user name alone is masked', async () => {
      const s = await serve(() => healthy('v2'));
      const url = withCredentials(s.url, 'tok3n-as-user-name');
      const run = await runHealthGate({ ...quick, url, window: '0.2s', rollback: 'false' });
      await explain(run, () => {
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('::add-mask::tok3n-as-user-name');
        expect(`${notMasks(run).join('\n')}${run.summary}`).not.toContain('tok3n-as-user-name');
      });
    });

    it('a ?token= too short to mask is refused in one line naming the input, before any probe', async () => {
      const s = await serve(() => healthy('v2'));
      const url = withCredentials(s.url, '', undefined, ['token', 'abc']);
      const run = await runHealthGate({ ...quick, url, window: '0.2s', rollback: 'false' });
      await explain(run, () => {
        expect(run.code).toBe(1);
        expect(notMasks(run)).toEqual([
          "::error::Input 'url' is a secret whose 'token' query parameter is 3 characters long: secrets shorter " +
            'than 8 characters cannot be masked in logs without also masking ordinary text; use a longer one'
        ]);
        expect(s.hits).toBe(0);
      });
    });

    it('a password too short to mask is refused in one line naming the input, before any probe', async () => {
      const s = await serve(() => healthy('v2'));
      const url = withCredentials(s.url, 'prober', 'pw');
      const run = await runHealthGate({ ...quick, url, window: '0.2s', rollback: 'false' });
      await explain(run, () => {
        expect(run.code).toBe(1);
        expect(notMasks(run)).toEqual([
          "::error::Input 'url' is a secret whose password is 2 characters long: secrets shorter " +
            'than 8 characters cannot be masked in logs without also masking ordinary text; use a longer one'
        ]);
        expect(s.hits).toBe(0);
      });
    });
    it('a URL that does not parse is refused without printing it (it may hold credentials)', async () => {
      const run = await runHealthGate({
        ...quick,
        url: 'http://prober:pr0be-s3cret-pass@exa mple.org/health?token=q-t0ken-9f8e7d6c5b',
        rollback: 'false'
      });
      await explain(run, () => {
        expect(run.code).toBe(1);
        expect(notMasks(run)).toEqual(["::error::Input 'url' is not a valid URL"]);
      });
    });
  });

  it('rejects a window too short for success-threshold, naming the input', async () => {
    const run = await runHealthGate({
      url: 'http://127.0.0.1:9/health',
      window: '10s',
      interval: '10s',
      rollback: 'false'
    });
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "::error::Input 'window' allows only 2 probes at this interval, fewer than success-threshold 3"
      );
    });
  });

  it('reports a failing API call with its message and request id, and never prints the token', async () => {
    const s = await serve(() => databaseDown('v2'));
    const run = await runHealthGate({ ...quick, url: s.url, window: '1s', ...withRollback() });
    await explain(run, () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ 'rolled-back': 'false' });
      expect(run.stdout).toContain(
        '::error::OUTAGE: the release is unhealthy and the automatic rollback did not restore'
      );
      expect(run.stdout).toContain(
        '::error::OUTAGE: the rollback failed: GET /v2/apps/app-123/deployments failed: HTTP 404 not_found - The resource you were accessing could not be found. (request id req-4242)'
      );
      expect(run.stdout.replace('::add-mask::dop_v1_test_token_not_real', '')).not.toContain(
        'dop_v1_test_token_not_real'
      );
    });
  });
});

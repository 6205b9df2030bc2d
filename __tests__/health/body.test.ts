import { describe, expect, it } from '@jest/globals';
import { judgeHealthBody, sameVersion } from '../../src/health/body.js';

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    status: 'healthy',
    version: 'abc1234',
    uptime_seconds: 3,
    checks: { database: 'ok', redis: 'ok' },
    ...over
  });

describe('judgeHealthBody', () => {
  it('accepts the healthy SignUpFlow body at the expected version', () => {
    expect(judgeHealthBody(body(), 'abc1234')).toEqual({ ok: true, version: 'abc1234' });
  });

  it('rejects a body that is not JSON and quotes it', () => {
    const v = judgeHealthBody('<html>Bad gateway</html>');
    expect(v).toMatchObject({ ok: false, kind: 'body' });
    expect(v.reason).toContain('<html>Bad gateway</html>');
  });

  it('rejects JSON without a status', () => {
    expect(judgeHealthBody('{"ok":true}')).toMatchObject({ ok: false, kind: 'body' });
    expect(judgeHealthBody('[1,2]')).toMatchObject({ ok: false, kind: 'body' });
  });

  it('names every failing check', () => {
    const v = judgeHealthBody(
      body({ status: 'unhealthy', checks: { database: 'error: timeout', redis: 'ok', queue: false } })
    );
    expect(v).toMatchObject({ ok: false, kind: 'check', failingChecks: ['database', 'queue'] });
    expect(v.reason).toBe('check database: error: timeout, queue: false');
  });

  it('rejects a status other than healthy', () => {
    expect(judgeHealthBody(body({ status: 'degraded' }))).toMatchObject({
      ok: false,
      kind: 'unhealthy',
      reason: "status is 'degraded', not 'healthy'"
    });
  });

  it('rejects a wrong or missing version only when one is expected', () => {
    expect(judgeHealthBody(body({ version: 'def5678' }), 'abc1234')).toMatchObject({
      ok: false,
      kind: 'version',
      reason: "version is 'def5678', expected 'abc1234'"
    });
    expect(judgeHealthBody(body({ version: undefined }), 'abc1234')).toMatchObject({
      ok: false,
      kind: 'version'
    });
    expect(judgeHealthBody(body({ version: 'def5678' }))).toMatchObject({ ok: true });
  });
});

describe('sameVersion', () => {
  it('matches a short commit id against the full one, both ways', () => {
    const full = 'abc1234def5678abc1234def5678abc1234def56';
    expect(sameVersion('abc1234', full)).toBe(true);
    expect(sameVersion(full, 'abc1234')).toBe(true);
  });

  it('does not prefix-match short or non-commit versions', () => {
    expect(sameVersion('abc12', 'abc1234')).toBe(false);
    expect(sameVersion('1.2', '1.2.3')).toBe(false);
    expect(sameVersion('1.2.3', '1.2.3')).toBe(true);
  });
});

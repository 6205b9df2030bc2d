// The contract checker itself must catch what it is meant to catch, or the contract tests prove nothing.
import { describe, expect, test } from '@jest/globals';
import type { RecordedRequest } from '../../test-support/app-platform-sim/index.js';
import { contractViolations, findOperation } from './contract.js';

const rec = (method: string, path: string, status: number, response: unknown): RecordedRequest => ({
  method,
  path,
  query: {},
  body: undefined,
  status,
  response,
  requestId: 'r',
  at: '2026-11-25T00:00:00Z'
});

describe('contract checker', () => {
  test('maps concrete paths to operations, the most literal template first', () => {
    expect(findOperation('POST', '/v2/apps/propose')?.op.operationId).toBe('apps_validate_appSpec');
    expect(findOperation('GET', '/v2/apps/abc')?.op.operationId).toBe('apps_get');
    expect(findOperation('POST', '/v2/apps/abc/rollback/validate')?.op.operationId).toBe(
      'apps_validate_rollback'
    );
  });

  test('accepts well-formed responses', () => {
    expect(
      contractViolations([
        rec('POST', '/v2/apps/a/rollback/validate', 200, {
          valid: false,
          error: { code: 'app_pinned', message: 'm' }
        }),
        rec('GET', '/v2/apps/a', 404, { id: 'not_found', message: 'm', request_id: 'r' }),
        rec('POST', '/v2/apps/a/rollback/commit', 200, undefined)
      ])
    ).toEqual([]);
  });

  test.each([
    [
      'a phase outside the enum',
      rec('GET', '/v2/apps/a/deployments/d', 200, { deployment: { id: 'd', phase: 'RUNNING' } })
    ],
    [
      'a key the spec does not name',
      rec('GET', '/v2/apps/a/deployments/d', 200, { deployment: { id: 'd', phse: 'ACTIVE' } })
    ],
    ['an error body without id', rec('GET', '/v2/apps/a', 404, { message: 'm' })],
    [
      'a rollback code outside the enum',
      rec('POST', '/v2/apps/a/rollback/validate', 200, {
        valid: false,
        error: { code: 'nope', message: 'm' }
      })
    ],
    ['a body where none is documented', rec('POST', '/v2/apps/a/rollback/commit', 200, { ok: true })],
    [
      'a wrong type',
      rec('GET', '/v2/apps/a/health', 200, {
        app_health: { components: [{ name: 'web', replicas_ready: 'two' }] }
      })
    ]
  ])('rejects %s', (_what, r) => {
    expect(contractViolations([r])).toHaveLength(1);
  });
});

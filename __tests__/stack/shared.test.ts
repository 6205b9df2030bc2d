// shared.ts: one server per kind for a test file, from the stack file when scripts/test.sh started one.
import { describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { sharedPostgres, sharedRegistry } from '../../test-support/shared.js';

describe('shared servers', () => {
  test('are started (or attached) once and serve', async () => {
    const postgres = await sharedPostgres();
    expect(await sharedPostgres()).toBe(postgres);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      expect((await client.query('select 40 + 2 as answer')).rows).toEqual([{ answer: 42 }]);
    } finally {
      await client.end();
    }
    const registry = await sharedRegistry();
    expect(await sharedRegistry()).toBe(registry);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(401);
  });
});

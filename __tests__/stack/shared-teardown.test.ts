// The test file's own top-level afterAll runs before shared.ts stops servers it started for this file.
import { afterAll, expect, test } from '@jest/globals';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';

let postgres: PostgresServer | undefined;
const database = `teardown_${process.pid}`;

test('creates a database on the shared server', async () => {
  postgres = await sharedPostgres();
  expect(await postgres.createDatabase(database)).toBe(postgres.urlFor(database));
});

afterAll(async () => {
  // Fails (connection refused) if the server was already stopped.
  await postgres?.dropDatabase(database);
});

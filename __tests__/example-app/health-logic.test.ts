// The /health decision logic (app/health.py) with fake pings, run by Debian's Python: cases a real server
// cannot be made to produce on demand (a driver message that echoes the DSN, a check raising any error).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { baseEnv, EXAMPLE_DIR } from './processes.js';

interface Outcome {
  status: number;
  body: { status: string; version: string; uptime_seconds: number; checks: Record<string, string> };
}

/** Calls run_checks with the given fakes (Python expressions) and returns (status, body). */
function runChecks(opts: {
  uptime: number;
  chaos?: string;
  db: string;
  redis?: string;
  secrets: string[];
}): Outcome {
  const script = `
import json, sys
from app.health import run_checks
from app.settings import Settings
args = json.loads(sys.argv[1])
def raiser(message):
    def ping():
        raise RuntimeError(message)
    return ping
ok = lambda: None
settings = Settings(database_url="postgresql://x", redis_url=None, app_version="v1",
                    chaos_db_fail_after_seconds=None if args["chaos"] is None else float(args["chaos"]))
db = ok if args["db"] == "ok" else raiser(args["db"])
redis = None if args["redis"] is None else (ok if args["redis"] == "ok" else raiser(args["redis"]))
status, body = run_checks(settings, args["uptime"], db, redis, args["secrets"])
print(json.dumps({"status": status, "body": body}))
`;
  const input = JSON.stringify({ chaos: null, redis: null, ...opts });
  const result = spawnSync('/usr/bin/python3', ['-c', script, input], {
    cwd: EXAMPLE_DIR,
    env: baseEnv(),
    encoding: 'utf8'
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Outcome;
}

describe('run_checks', () => {
  test('masks a URL and its password even when the driver message echoes them', () => {
    const url = 'postgresql://app:Pa%2Fss@db.internal:5432/signupflow';
    const outcome = runChecks({
      uptime: 3.7,
      db: `could not connect with ${url} (password Pa/ss rejected)\nsecond line with more detail`,
      secrets: [url, 'Pa%2Fss', 'Pa/ss']
    });
    expect(outcome.status).toBe(503);
    expect(outcome.body).toEqual({
      status: 'unhealthy',
      version: 'v1',
      uptime_seconds: 3,
      checks: { database: 'error: RuntimeError: could not connect with *** (password *** rejected)' }
    });
  });

  test('error strings are capped at 200 characters', () => {
    const outcome = runChecks({ uptime: 0, db: 'x'.repeat(500), secrets: [] });
    expect(outcome.body.checks.database).toHaveLength(200);
  });

  test('redis is reported only when a redis ping is configured, and alone can fail the body', () => {
    expect(runChecks({ uptime: 1, db: 'ok', secrets: [] }).body.checks).toEqual({ database: 'ok' });
    const redisDown = runChecks({ uptime: 1, db: 'ok', redis: 'Connection refused', secrets: [] });
    expect(redisDown.status).toBe(503);
    expect(redisDown.body.checks).toEqual({
      database: 'ok',
      redis: 'error: RuntimeError: Connection refused'
    });
    expect(runChecks({ uptime: 1, db: 'ok', redis: 'ok', secrets: [] })).toEqual({
      status: 200,
      body: { status: 'healthy', version: 'v1', uptime_seconds: 1, checks: { database: 'ok', redis: 'ok' } }
    });
  });

  test('the chaos hook fails the database check from the given uptime on, not before', () => {
    expect(runChecks({ uptime: 9.99, chaos: '10', db: 'ok', secrets: [] }).status).toBe(200);
    const after = runChecks({ uptime: 10, chaos: '10', db: 'ok', secrets: [] });
    expect(after.status).toBe(503);
    expect(after.body.checks.database).toBe(
      'error: chaos: CHAOS_DB_FAIL_AFTER_SECONDS=10 elapsed (test hook)'
    );
    expect(runChecks({ uptime: 0, chaos: '0', db: 'ok', secrets: [] }).status).toBe(503);
  });
});

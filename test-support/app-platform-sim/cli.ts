// Standalone simulator for scripts (the local rehearsal):
//   npx tsx test-support/app-platform-sim/cli.ts --json <file> [options]
// writes {url, token, pid, liveUrls...} to <file> once serving, then runs until SIGTERM/SIGINT.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { startAppPlatformSimulator, type AppSpec, type SimulatorOptions } from './index.js';

const USAGE = `usage: cli.ts --json <file> [--token T] [--port N] [--example-app-dir DIR] [--python PATH]
  [--app-env KEY=VALUE]... [--registry-host HOST --registry-username U --registry-password P]
  [--phase-delay-ms N] [--rate-limit-per-minute N] [--tier SLUG] [--log-urls both|live-or-historic]
  [--pending-deployment in-progress|latest] [--seed <app spec .yaml|.json>]...`;

function fail(message: string): never {
  process.stderr.write(`app-platform-sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseCli>;
try {
  parsed = parseCli();
} catch (err) {
  fail((err as Error).message);
}
const { values } = parsed;

function parseCli() {
  return parseArgs({
    options: {
      json: { type: 'string' },
      token: { type: 'string' },
      port: { type: 'string' },
      'example-app-dir': { type: 'string' },
      python: { type: 'string' },
      'app-env': { type: 'string', multiple: true },
      'registry-host': { type: 'string' },
      'registry-username': { type: 'string' },
      'registry-password': { type: 'string' },
      'phase-delay-ms': { type: 'string' },
      'rate-limit-per-minute': { type: 'string' },
      tier: { type: 'string' },
      'log-urls': { type: 'string' },
      'pending-deployment': { type: 'string' },
      seed: { type: 'string', multiple: true },
      help: { type: 'boolean' }
    }
  });
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.json) fail('--json <file> is required');

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a whole number, got "${v}"`);
  return Number(v);
};
const appEnv: Record<string, string> = {};
for (const pair of values['app-env'] ?? []) {
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--app-env must be KEY=VALUE, got "${pair}"`);
  appEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
}
const oneOf = <T extends string>(
  name: string,
  v: string | undefined,
  allowed: readonly T[]
): T | undefined => {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    fail(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
};
const opts: SimulatorOptions = {
  tier: values.tier,
  logUrls: oneOf('log-urls', values['log-urls'], ['both', 'live-or-historic'] as const),
  pendingDeployment: oneOf('pending-deployment', values['pending-deployment'], [
    'in-progress',
    'latest'
  ] as const),
  token: values.token,
  port: int('port', values.port),
  exampleAppDir: values['example-app-dir'],
  python: values.python,
  appEnv,
  phaseDelayMs: int('phase-delay-ms', values['phase-delay-ms']),
  rateLimit: values['rate-limit-per-minute']
    ? { perMinute: int('rate-limit-per-minute', values['rate-limit-per-minute']) }
    : undefined,
  registry: values['registry-host']
    ? {
        host: values['registry-host'],
        username: values['registry-username'],
        password: values['registry-password']
      }
    : undefined
};

const sim = await startAppPlatformSimulator(opts);
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await sim.stop();
  process.exit(code);
};
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

try {
  const seeded = [];
  for (const file of values.seed ?? []) {
    const text = readFileSync(file, 'utf8');
    const spec = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as AppSpec;
    const app = await sim.seedApp(spec);
    seeded.push({ id: app.id, name: spec.name, live_url: app.live_url });
  }
  // Written whole under a temporary name, then renamed: a reader never sees half a file.
  const tmp = `${values.json}.tmp-${process.pid}`;
  writeFileSync(
    tmp,
    JSON.stringify({ url: sim.url, token: sim.token, pid: process.pid, apps: seeded }, null, 2),
    { mode: 0o600 }
  );
  renameSync(tmp, values.json);
  process.stdout.write(`app-platform-sim: serving ${sim.url} (pid ${process.pid})\n`);
} catch (err) {
  process.stderr.write(`app-platform-sim: ${(err as Error).message}\n`);
  await shutdown(1);
}

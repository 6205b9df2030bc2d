import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppPlatformSimulator, type Simulator } from '../../test-support/app-platform-sim/index.js';
import type { SimCluster } from '../../test-support/app-platform-sim/databases.js';
import { startRunnerIpService, type RunnerIpService } from '../../test-support/runner-ip-service.js';
import { OTHER_RULES } from '../../test-support/locked-database.js';
import {
  DatabaseFirewall,
  isStaleRule,
  jobIdentity,
  ruleDescription,
  type JobIdentity
} from '../../src/digitalocean/database-firewall.js';
import { lookUpRunnerIp } from '../../src/digitalocean/runner-ip.js';
import { openTrustedSource } from '../../src/digitalocean/trusted-source.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createMemoryLogger } from '../../src/kit/log.js';

// The firewall client against the simulator's databases endpoints (DigitalOcean's shapes and rules).
let sim: Simulator;
let ipService: RunnerIpService;
let cluster: SimCluster;
const work = mkdtempSync(join(tmpdir(), 'firewall-test-'));
const logger = createMemoryLogger();
const firewall = (settleMs = 20) =>
  new DatabaseFirewall({ token: sim.token, apiUrl: sim.url, logger, settleMs });
const job = (n: number): JobIdentity => ({
  repository: 'acme/signupflow',
  runId: `9${n}`,
  attempt: '1',
  job: 'migrate'
});

beforeAll(async () => {
  sim = await startAppPlatformSimulator({
    // The 20-round contention test sends more than DigitalOcean's 250 requests a minute; the limit is not under test.
    rateLimit: { perMinute: 100_000, perHour: 1_000_000 }
  });
  ipService = await startRunnerIpService('127.0.0.1');
});
afterAll(async () => {
  await ipService?.stop();
  await sim?.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  sim.databases.tokenScopes = undefined;
  sim.databases.latencyMs = { min: 0, max: 0 };
  cluster = sim.databases.addCluster({
    name: `db-${Math.random().toString(16).slice(2, 8)}`,
    host: `db-${Math.random().toString(16).slice(2, 10)}.sim.invalid`,
    port: 25060,
    rules: OTHER_RULES
  });
});

const others = () => sim.databases.rules(cluster.id).filter(r => OTHER_RULES.some(o => o.value === r.value));

/** Inputs as a workflow's `with:` gives them (the action.yml defaults are not applied here). */
const inputs = (values: Record<string, string>) => new Inputs(name => values[name]);

describe('finding the cluster', () => {
  it('by uuid, by name, and by the host of the database URL; every page of GET /v2/databases is read', async () => {
    for (let i = 0; i < 120; i++)
      sim.databases.addCluster({
        name: `filler-${i}-${cluster.name}`,
        host: `f${i}.sim.invalid`,
        port: 25060
      });
    const last = sim.databases.addCluster({
      name: `last-${cluster.name}`,
      host: `last-${cluster.name}.sim.invalid`,
      port: 25060
    });
    const fw = firewall();
    expect((await fw.findCluster(cluster.id, 'postgresql://u@x/db')).name).toBe(cluster.name);
    expect((await fw.findCluster(cluster.name, 'postgresql://u@x/db')).id).toBe(cluster.id);
    expect(
      (await fw.findCluster(undefined, `postgresql://u:p@${last.connection.host}:25060/defaultdb`)).id
    ).toBe(last.id);
    // the private host of a cluster (a runner in the VPC) finds it too
    expect(
      (await fw.findCluster(undefined, `postgresql://u:p@${last.private_connection.host}:25060/d`)).id
    ).toBe(last.id);
    const pages = sim.requests.filter(r => r.path === '/v2/databases').map(r => r.query.page);
    expect(new Set(pages).size).toBeGreaterThan(1);
  });

  it('an unknown cluster is refused with one line naming the input', async () => {
    await expect(firewall().findCluster('no-such-db', 'postgresql://u@x/db')).rejects.toThrow(
      /^Input 'database-cluster' names no database cluster of this account: 'no-such-db'/
    );
    await expect(firewall().findCluster(undefined, 'postgresql://u@elsewhere.example/db')).rejects.toThrow(
      /^trusted-source: no database cluster of this account has the host elsewhere\.example of 'database-url'/
    );
  });
});

describe('adding and removing the runner', () => {
  it('adds one ip_addr rule with the job in its description, removes only it; other rules keep every field', async () => {
    const before = sim.databases.rules(cluster.id);
    const fw = firewall();
    const description = ruleDescription(job(1));
    expect(description).toBe('app-platform-pipeline acme/signupflow run 91 attempt 1 job migrate');
    const { rule } = await fw.addRule(cluster.id, '127.0.0.9', description);
    expect(rule).toMatchObject({
      type: 'ip_addr',
      value: '127.0.0.9',
      description,
      cluster_uuid: cluster.id
    });
    expect(rule.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.databases.admits(cluster.id, '127.0.0.9')).toBe(true);
    expect(others()).toEqual(before);
    expect(await fw.removeRule(cluster.id, { uuid: rule.uuid, description })).toBe(true);
    expect(sim.databases.rules(cluster.id)).toEqual(before);
    // read, PUT, settled read - for each of the two changes
    const calls = sim.requests.filter(r => r.path.includes(cluster.id)).map(r => `${r.method} ${r.status}`);
    expect(calls).toEqual(['GET 200', 'PUT 204', 'GET 200', 'GET 200', 'PUT 204', 'GET 200']);
  });

  it('a full firewall (100 rules) is refused before any write; 99 leave room for ours', async () => {
    const fw = firewall();
    const fill = (n: number) =>
      sim.databases.addCluster({
        name: `full-${n}-${cluster.name}`,
        host: `full-${n}-${cluster.name}.sim.invalid`,
        port: 25060,
        rules: Array.from({ length: n }, (_, i) => ({ type: 'ip_addr', value: `10.0.${i >> 8}.${i & 255}` }))
      });
    const full = fill(100);
    await expect(fw.addRule(full.id, '127.0.0.9', ruleDescription(job(2)))).rejects.toThrow(
      /^trusted-source: the firewall of the database cluster is full \(100 of 100 trusted sources\)/
    );
    expect(sim.requests.filter(r => r.path.includes(full.id) && r.method === 'PUT')).toHaveLength(0);
    const room = fill(99);
    await fw.addRule(room.id, '127.0.0.9', ruleDescription(job(2)));
    expect(sim.databases.rules(room.id)).toHaveLength(100);
  });

  it('the simulator refuses what DigitalOcean refuses: 101 rules, IPv6 values; assigns uuids itself', async () => {
    const fw = firewall();
    const put = (rules: unknown[]) =>
      fw['writer'].call('PUT', `/v2/databases/${cluster.id}/firewall`, { rules });
    await expect(
      put(Array.from({ length: 101 }, (_, i) => ({ type: 'ip_addr', value: `10.1.0.${i}` })))
    ).rejects.toThrow(
      /HTTP 422 unprocessable_entity - a database firewall holds at most 100 rules, got 101 \(request id [0-9a-f-]+\)/
    );
    await expect(put([{ type: 'ip_addr', value: '2001:db8::1' }])).rejects.toThrow(/HTTP 422.*IPv6/);
    await put([{ type: 'ip_addr', value: '10.9.9.9' }]);
    expect(sim.databases.rules(cluster.id)).toEqual([
      expect.objectContaining({
        type: 'ip_addr',
        value: '10.9.9.9',
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/)
      })
    ]);
  });

  it('a token without the database scope gets 403 from the API, named as such in one line', async () => {
    sim.databases.tokenScopes = new Set(['app:read', 'app:update']);
    const error = await firewall()
      .findCluster(cluster.id, 'postgresql://u@x/db')
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^trusted-source: the DigitalOcean token lacks the database scope \(custom scopes database:read and database:update are needed\): GET \/v2\/databases failed: HTTP 403 forbidden - You do not have access for the attempted action\. \(request id [0-9a-f-]+\)$/
    );
    // read-only: the listing works, the PUT is refused
    sim.databases.tokenScopes = new Set(['database:read']);
    await expect(firewall().addRule(cluster.id, '127.0.0.9', ruleDescription(job(3)))).rejects.toThrow(
      /^trusted-source: the DigitalOcean token lacks the database scope .*PUT \/v2\/databases\/[0-9a-f-]+\/firewall failed: HTTP 403 forbidden/
    );
    sim.databases.tokenScopes = undefined;
    expect(others()).toHaveLength(OTHER_RULES.length);
  });

  it('an IPv6-only runner is refused with one line before anything is written', async () => {
    ipService.answer = '2001:db8::42';
    try {
      await expect(lookUpRunnerIp(ipService.url)).rejects.toThrow(
        /^trusted-source: the runner has only an IPv6 address \(2001:db8::42, from http:\/\/127\.0\.0\.1:\d+\/\); DigitalOcean's database firewall accepts IPv4 trusted sources only/
      );
    } finally {
      ipService.answer = '127.0.0.1';
    }
    expect(await lookUpRunnerIp(`${ipService.url}?format=json`)).toBe('127.0.0.1');
  });
});

describe('openTrustedSource (the main step)', () => {
  const stateFile = join(work, 'state');
  beforeEach(() => {
    writeFileSync(stateFile, '');
    process.env.GITHUB_STATE = stateFile;
  });
  const open = (extra: Record<string, string> = {}) =>
    openTrustedSource(
      inputs({
        'trusted-source': 'runner-ip',
        'digitalocean-token': sim.token,
        'runner-ip-url': ipService.url,
        'api-url': sim.url,
        'database-cluster': cluster.name,
        ...extra
      }),
      logger,
      `postgresql://u:p@${cluster.connection.host}:25060/defaultdb`,
      { settleMs: 20 }
    );

  it('none (the default) touches nothing; runner-ip without a token is an input error', async () => {
    const n = sim.requests.length;
    expect(await openTrustedSource(inputs({}), logger, 'postgresql://u@x/db')).toBeUndefined();
    expect(sim.requests.length).toBe(n);
    await expect(
      openTrustedSource(inputs({ 'trusted-source': 'runner-ip' }), logger, 'postgresql://u@x/db')
    ).rejects.toThrow(
      /^Input 'digitalocean-token' is required: trusted-source: runner-ip needs a DigitalOcean token/
    );
    await expect(
      openTrustedSource(inputs({ 'trusted-source': 'yes' }), logger, 'postgresql://u@x/db')
    ).rejects.toThrow(/^Input 'trusted-source' must be one of none, runner-ip, got 'yes'$/);
  });

  it('an existing rule (not ours) that already admits the runner is used and left alone', async () => {
    const own = sim.databases.addCluster({
      name: `own-${cluster.name}`,
      host: `own-${cluster.name}.sim.invalid`,
      port: 25060,
      rules: [{ type: 'ip_addr', value: '127.0.0.0/8', description: 'loopback, kept by the ops team' }]
    });
    const before = sim.databases.rules(own.id);
    const report = await open({ 'database-cluster': own.id });
    expect(report).toMatchObject({ added: false, ip: '127.0.0.1', rule: { value: '127.0.0.0/8' } });
    expect(sim.requests.filter(r => r.path.includes(own.id) && r.method === 'PUT')).toHaveLength(0);
    expect(sim.databases.rules(own.id)).toEqual(before);
  });

  it('a stale rule of this suite (older than 6 h, or an earlier attempt of this job) is removed and reported', async () => {
    const me = jobIdentity();
    const old = new Date(Date.now() - 7 * 3600_000).toISOString();
    const stale = sim.databases.addCluster({
      name: `stale-${cluster.name}`,
      host: `stale-${cluster.name}.sim.invalid`,
      port: 25060,
      rules: [
        ...OTHER_RULES,
        { type: 'ip_addr', value: '192.0.2.10', description: ruleDescription(job(7)), created_at: old },
        { type: 'ip_addr', value: '192.0.2.11', description: ruleDescription({ ...me, attempt: '0' }) },
        { type: 'ip_addr', value: '192.0.2.12', description: ruleDescription(job(8)) }, // young: another live job
        { type: 'ip_addr', value: '192.0.2.13', description: 'not ours', created_at: old }
      ]
    });
    const report = await open({ 'database-cluster': stale.id });
    expect(report?.staleRemoved.map(r => r.value).sort()).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(
      logger.lines.some(l =>
        l.startsWith(
          '::warning::trusted-source: removed a rule left behind by an earlier job (ip_addr 192.0.2.10'
        )
      )
    ).toBe(true);
    expect(
      sim.databases
        .rules(stale.id)
        .map(r => r.value)
        .sort()
    ).toEqual([...OTHER_RULES.map(r => r.value), '127.0.0.1', '192.0.2.12', '192.0.2.13'].sort());
    expect(
      isStaleRule({ type: 'ip_addr', value: 'x', description: ruleDescription(me) }, me, Date.now(), 0)
    ).toBe(false);
  });
});

describe('two jobs adding and removing their rules at the same time', () => {
  it('20 rounds: no state ever lacks a rule a job holds, or shows one it removed; other rules never change', async () => {
    sim.databases.latencyMs = { min: 0, max: 25 };
    const othersBefore = others();
    type Event = { job: number; description: string; added: number; removing: number; removed: number };
    const events: Event[] = [];
    const runJob = async (n: number, ip: string) => {
      const fw = firewall(150); // settle > any read-to-PUT window here (2 x 25 ms latency each way)
      for (let round = 0; round < 20; round++) {
        const description = ruleDescription({ ...job(n), runId: `${n}-${round}` });
        const { rule } = await fw.addRule(cluster.id, ip, description);
        const added = performance.now();
        await new Promise(r => setTimeout(r, Math.random() * 30));
        const removing = performance.now();
        await fw.removeRule(cluster.id, { uuid: rule.uuid, description });
        events.push({ job: n, description, added, removing, removed: performance.now() });
      }
    };
    await Promise.all([runJob(1, '127.0.0.2'), runJob(2, '127.0.0.3')]);
    const history = sim.databases.history.filter(h => h.clusterId === cluster.id);
    const stateAt = (t: number) => history.filter(h => h.at <= t).at(-1)!.rules;
    const statesIn = (from: number, to: number) => [
      stateAt(from),
      ...history.filter(h => h.at > from && h.at <= to).map(h => h.rules)
    ];
    expect(history.length).toBeGreaterThan(40);
    for (const e of events) {
      for (const rules of statesIn(e.added, e.removing))
        expect(rules.map(r => r.description)).toContain(e.description);
      for (const rules of statesIn(e.removed, Infinity))
        expect(rules.map(r => r.description)).not.toContain(e.description);
    }
    for (const h of history)
      expect(h.rules.filter(r => othersBefore.some(o => o.uuid === r.uuid))).toEqual(othersBefore);
    expect(sim.databases.rules(cluster.id)).toEqual(othersBefore);
  }, 120_000);
});

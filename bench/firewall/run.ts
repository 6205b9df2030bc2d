// How long adding and removing the runner's trusted source takes in the simulator, and how many API requests it
// costs: `npx tsx bench/firewall/run.ts [--rounds 5] [--settle-ms 2000] [--latency-ms 0]`.
// Baseline of the same run: one GET of the firewall (one API round trip). Not run by the tests.
import { parseArgs } from 'node:util';
import { startAppPlatformSimulator } from '../../test-support/app-platform-sim/index.js';
import { OTHER_RULES } from '../../test-support/locked-database.js';
import { DatabaseFirewall, ruleDescription } from '../../src/digitalocean/database-firewall.js';
import { createMemoryLogger } from '../../src/kit/log.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'settle-ms': { type: 'string', default: '2000' },
    'latency-ms': { type: 'string', default: '0' }
  }
});
const rounds = Number(values.rounds);
const settleMs = Number(values['settle-ms']);
const latency = Number(values['latency-ms']);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sim = await startAppPlatformSimulator();
try {
  sim.databases.latencyMs = { min: latency, max: latency };
  for (let i = 0; i < 30; i++)
    sim.databases.addCluster({ name: `other-${i}`, host: `o${i}.sim.invalid`, port: 25060 });
  const cluster = sim.databases.addCluster({
    name: 'app-db',
    host: 'app-db.sim.invalid',
    port: 25060,
    rules: OTHER_RULES
  });
  const url = `postgresql://u:p@${cluster.connection.host}:25060/defaultdb`;
  const base: number[] = [];
  const add: number[] = [];
  const remove: number[] = [];
  const addRequests: number[] = [];
  const removeRequests: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const fw = new DatabaseFirewall({
      token: sim.token,
      apiUrl: sim.url,
      logger: createMemoryLogger(),
      settleMs
    });
    let t = performance.now();
    await fw.rules(cluster.id);
    base.push(performance.now() - t);
    let n = fw.requestCount;
    const description = ruleDescription({
      repository: 'acme/app',
      runId: `${round}`,
      attempt: '1',
      job: 'bench'
    });
    // what the main step does: find the cluster by the URL's host, read the rules, add ours
    t = performance.now();
    const found = await fw.findCluster(undefined, url);
    const rules = await fw.rules(found.id);
    const { rule } = await fw.addRule(found.id, '192.0.2.77', description, () => false, rules);
    add.push(performance.now() - t);
    addRequests.push(fw.requestCount - n);
    n = fw.requestCount;
    t = performance.now();
    await fw.removeRule(found.id, { uuid: rule.uuid, description });
    remove.push(performance.now() - t);
    removeRequests.push(fw.requestCount - n);
  }
  const b = median(base);
  console.log(
    `bench/firewall: ${rounds} rounds, settle ${settleMs} ms, simulated latency ${latency} ms per side, 31 clusters, 4 other rules`
  );
  console.log('| step | median ms | API requests | vs one GET |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| one GET of the firewall (baseline) | ${b.toFixed(1)} | 1 | 1.00 |`);
  console.log(
    `| add (find cluster + read + PUT + settled read) | ${median(add).toFixed(1)} | ${median(addRequests)} | ${(median(add) / b).toFixed(1)} |`
  );
  console.log(
    `| remove (read + PUT + settled read) | ${median(remove).toFixed(1)} | ${median(removeRequests)} | ${(median(remove) / b).toFixed(1)} |`
  );
  console.log(
    `| add, without the settle wait | ${(median(add) - settleMs).toFixed(1)} | | ${((median(add) - settleMs) / b).toFixed(1)} |`
  );
  console.log(
    `| remove, without the settle wait | ${(median(remove) - settleMs).toFixed(1)} | | ${((median(remove) - settleMs) / b).toFixed(1)} |`
  );
} finally {
  await sim.stop();
}

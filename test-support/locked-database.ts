// A locked-down managed database on loopback: the App Platform simulator's databases endpoints hold the cluster and
// its firewall, a TCP gate in front of the local PostgreSQL admits only sources a rule admits, and a runner-IP
// stand-in tells the action its "public" address (127.0.0.1: the source address the gate sees).
import { startAppPlatformSimulator, type Simulator } from './app-platform-sim/index.js';
import type { FirewallRule, SimCluster } from './app-platform-sim/databases.js';
import type { PostgresServer } from './postgres.js';
import { postgresUrl } from './postgres.js';
import { startRunnerIpService, type RunnerIpService } from './runner-ip-service.js';
import { startTcpGate, type TcpGate } from './tcp-gate.js';

/** Rules other teams keep on the firewall; none admits loopback. */
export const OTHER_RULES = [
  { type: 'ip_addr', value: '203.0.113.7', description: 'office VPN' },
  { type: 'ip_addr', value: '198.51.100.0/24' },
  { type: 'tag', value: 'backend' },
  { type: 'app', value: '3ad8fa8f-3c24-44a1-a3a6-8a1b7f8a1e11', description: 'signupflow app' }
];

export interface LockedDatabase {
  sim: Simulator;
  gate: TcpGate;
  ipService: RunnerIpService;
  cluster: SimCluster;
  /** The URL of `database` on the local PostgreSQL, through the gate (what a workflow would be given). */
  url(database: string): string;
  rules(): FirewallRule[];
  /** The rules other than the ones of OTHER_RULES (so: what the suite added and left). */
  extraRules(): FirewallRule[];
  stop(): Promise<void>;
}

/** `opts.sim`: a simulator already running (e.g. one that also serves the apps a workflow deploys); not stopped. */
export async function startLockedDatabase(
  pg: Pick<PostgresServer, 'host' | 'port' | 'user' | 'password' | 'database'>,
  opts: { sim?: Simulator } = {}
): Promise<LockedDatabase> {
  const sim = opts.sim ?? (await startAppPlatformSimulator());
  const stops: Array<() => Promise<void>> = opts.sim ? [] : [() => sim.stop()];
  try {
    const ipService = await startRunnerIpService('127.0.0.1');
    stops.push(() => ipService.stop());
    let clusterId = '';
    const gate = await startTcpGate({
      target: { host: pg.host, port: pg.port },
      admits: source => sim.databases.admits(clusterId, source)
    });
    stops.push(() => gate.stop());
    sim.databases.addCluster({ name: 'unrelated-db', host: 'unrelated-db.sim.invalid', port: 25060 });
    const cluster = sim.databases.addCluster({
      name: 'signupflow-db',
      host: gate.host,
      port: gate.port,
      user: pg.user,
      password: pg.password,
      database: pg.database,
      rules: OTHER_RULES
    });
    clusterId = cluster.id;
    const others = new Set(sim.databases.rules(cluster.id).map(r => r.uuid));
    return {
      sim,
      gate,
      ipService,
      cluster,
      url: database => postgresUrl({ ...pg, host: gate.host, port: gate.port }, database),
      rules: () => sim.databases.rules(cluster.id),
      extraRules: () => sim.databases.rules(cluster.id).filter(r => !others.has(r.uuid)),
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      }
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
}

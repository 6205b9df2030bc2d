// A temporary trusted source on a managed database's firewall: one `ip_addr` rule for this runner, added before the
// work and removed after it, without touching anybody else's rules.
//
// The API (digitalocean/openapi specification/resources/databases/databases_{list_clusters,list_firewalls,
// update_firewall_rules}.yml; godo databases.go GetFirewallRules/UpdateFirewallRules): GET .../firewall lists the
// rules, PUT .../firewall REPLACES them all (204). There is no version or If-Match, so every change is a
// read-modify-write, as doctl's `databases firewalls append/remove` do (commands/databases.go). doctl sends back what
// it read minus `description` (godo's DatabaseFirewallRule has no such field): we keep every field of other rules.
//
// Concurrency without compare-and-swap. Other jobs (this suite's and anyone's) may write between our read and our
// PUT, and their PUT may carry a view older than ours. Protocol:
//   1. read the rules just before each write, PUT at once (one attempt: a retried PUT would replay a stale body);
//   2. wait `settleMs` - longer than any writer's read-to-PUT window - then read again;
//   3. our change is done only when that read shows it (our rule there / gone); else back off and start over.
// After step 3 succeeded no write based on a read older than our PUT can still land (it would have landed inside
// the settle window and been seen), so: a rule we reported added stays until we remove it, a rule we reported
// removed does not come back, and another job's rule dropped by our stale write is restored by that job's own step 3
// before it reports success. The assumption is that PUTs land within `settleMs` of their read.
import { isIPv4 } from 'node:net';
import { RemoteError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { sleep as realSleep } from '../kit/retry.js';
import { DigitalOceanClient, type RequestInfo } from './client.js';
import { TrustedSourceRefusal } from './runner-ip.js';

export { DEFAULT_RUNNER_IP_URL, lookUpRunnerIp, TrustedSourceRefusal } from './runner-ip.js';

export const FIREWALL_RULE_LIMIT = 100;
/** Every description this suite writes starts so; what the stale-rule sweep looks for. */
export const RULE_PREFIX = 'app-platform-pipeline';
/** GitHub ends a hosted runner's job after 6 h: a rule of ours older than that outlived its job. */
export const DEFAULT_STALE_AFTER_MS = 6 * 3600_000;

export interface FirewallRule {
  uuid?: string;
  cluster_uuid?: string;
  type: string;
  value: string;
  created_at?: string;
  description?: string;
}

interface Connection {
  host?: string;
  port?: number;
}

export interface DatabaseCluster {
  id: string;
  name: string;
  engine?: string;
  connection?: Connection;
  private_connection?: Connection;
  standby_connection?: Connection;
  standby_private_connection?: Connection;
}

export interface JobIdentity {
  repository: string;
  runId: string;
  attempt: string;
  job: string;
}

export interface FirewallClientOptions {
  token: string;
  apiUrl?: string;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** The wait between our PUT and the read that confirms it (default 2 s). */
  settleMs?: number;
  /** Read-modify-write rounds before giving up (default 8). */
  rounds?: number;
  onRequest?: (info: RequestInfo) => void;
}

/** The identity GitHub gives a job, from its environment (a local run gets `local` and its pid). */
export function jobIdentity(env: NodeJS.ProcessEnv = process.env): JobIdentity {
  return {
    repository: env.GITHUB_REPOSITORY || 'local',
    runId: env.GITHUB_RUN_ID || `pid-${process.pid}`,
    attempt: env.GITHUB_RUN_ATTEMPT || '1',
    job: env.GITHUB_JOB || 'local'
  };
}

/** `app-platform-pipeline owner/repo run 123 attempt 2 job migrate`, at most 100 characters. */
export function ruleDescription(id: JobIdentity): string {
  return `${RULE_PREFIX} ${id.repository} run ${id.runId} attempt ${id.attempt} job ${id.job}`.slice(0, 100);
}

const DESCRIPTION = new RegExp(`^${RULE_PREFIX} (\\S+) run (\\S+) attempt (\\d+) job (.*)$`);

/** Whether a rule's description is one this suite writes. */
export const isSuiteRule = (rule: FirewallRule): boolean => DESCRIPTION.test(rule.description ?? '');

/** A rule this suite left behind: older than `staleAfterMs`, or an earlier attempt of this very job. */
export function isStaleRule(rule: FirewallRule, me: JobIdentity, now: number, staleAfterMs: number): boolean {
  const m = DESCRIPTION.exec(rule.description ?? '');
  if (!m || rule.description === ruleDescription(me)) return false;
  const created = Date.parse(rule.created_at ?? '');
  if (Number.isFinite(created) && now - created > staleAfterMs) return true;
  // Attempts of one run are sequential: an earlier attempt of this job is over.
  const attempt = m[3]!;
  return Number(attempt) < Number(me.attempt) && rule.description === ruleDescription({ ...me, attempt });
}

/** An ip_addr rule admits an address equal to its value or inside its IPv4 CIDR range. */
export function ruleAdmits(rule: FirewallRule, ip: string): boolean {
  if (rule.type !== 'ip_addr' || !isIPv4(ip)) return false;
  const [base, bits] = rule.value.split('/');
  if (!isIPv4(base!)) return false;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (toNumber(base!) & mask) >>> 0 === (toNumber(ip) & mask) >>> 0;
}

const toNumber = (ip: string) => ip.split('.').reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;

/** What we send back for a rule: everything but the read-only fields. */
const writable = (r: FirewallRule): FirewallRule => ({
  ...(r.uuid ? { uuid: r.uuid } : {}),
  type: r.type,
  value: r.value,
  ...(r.description !== undefined ? { description: r.description } : {})
});

export class DatabaseFirewall {
  private readonly reader: DigitalOceanClient;
  private readonly writer: DigitalOceanClient;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly settleMs: number;
  private readonly rounds: number;

  constructor(opts: FirewallClientOptions) {
    const common = {
      token: opts.token,
      apiUrl: opts.apiUrl,
      logger: opts.logger,
      sleep: opts.sleep,
      onRequest: opts.onRequest
    };
    this.reader = new DigitalOceanClient(common);
    // One attempt per PUT: the retry is a whole new read-modify-write (below), never the same body again.
    this.writer = new DigitalOceanClient({ ...common, attempts: 1 });
    this.logger = opts.logger;
    this.sleep = opts.sleep ?? realSleep;
    this.settleMs = opts.settleMs ?? 2000;
    this.rounds = opts.rounds ?? 8;
  }

  /** API requests sent so far (retries included). */
  get requestCount(): number {
    return this.reader.requestCount + this.writer.requestCount;
  }

  /** Every cluster of the account, page by page (godo's ListOptions; follows links.pages.next when given). */
  async listClusters(): Promise<DatabaseCluster[]> {
    const perPage = 100;
    const out: DatabaseCluster[] = [];
    for (let page = 1; page <= 100; page++) {
      const res = await this.read<{ databases?: DatabaseCluster[]; links?: { pages?: { next?: string } } }>(
        `/v2/databases?page=${page}&per_page=${perPage}`
      );
      const items = res.databases ?? [];
      out.push(...items);
      if (items.length < perPage && !res.links?.pages?.next) break;
      if (items.length === 0) break;
    }
    return out;
  }

  /**
   * The cluster named by `cluster` (uuid or name), or else the one whose host (public, private or standby) is the
   * database URL's host. Refuses when none matches or several do.
   */
  async findCluster(cluster: string | undefined, databaseUrl: string): Promise<DatabaseCluster> {
    const all = await this.listClusters();
    const names = all.map(c => c.name).join(', ') || 'none';
    if (cluster) {
      const found = all.find(c => c.id === cluster) ?? all.find(c => c.name === cluster);
      if (!found)
        throw new TrustedSourceRefusal(
          `Input 'database-cluster' names no database cluster of this account: '${cluster}' (clusters: ${names})`
        );
      return found;
    }
    const url = new URL(databaseUrl);
    const host = url.hostname.toLowerCase();
    const port = Number(url.port || 5432);
    const hosts = (c: DatabaseCluster) =>
      [c.connection, c.private_connection, c.standby_connection, c.standby_private_connection].filter(
        (x): x is Connection => !!x?.host
      );
    let matches = all.filter(c => hosts(c).some(h => h.host!.toLowerCase() === host));
    if (matches.length > 1)
      matches = matches.filter(c => hosts(c).some(h => h.host!.toLowerCase() === host && h.port === port));
    if (matches.length === 1) return matches[0]!;
    throw new TrustedSourceRefusal(
      matches.length === 0
        ? `trusted-source: no database cluster of this account has the host ${host} of 'database-url'; set 'database-cluster' to its uuid or name (clusters: ${names})`
        : `trusted-source: several database clusters have the host ${host}:${port}; set 'database-cluster' (${matches.map(c => c.name).join(', ')})`
    );
  }

  async rules(clusterId: string): Promise<FirewallRule[]> {
    return (
      (await this.read<{ rules?: FirewallRule[] }>(`/v2/databases/${encodeURIComponent(clusterId)}/firewall`))
        .rules ?? []
    );
  }

  /**
   * Adds `{ip_addr: ip, description}` (and drops `stale` rules of ours on the way) until a settled read shows it.
   * Returns the rule as the API stored it (with its uuid) and the stale rules that are gone.
   */
  async addRule(
    clusterId: string,
    ip: string,
    description: string,
    isStale: (rule: FirewallRule) => boolean = () => false,
    initial?: FirewallRule[]
  ): Promise<{ rule: FirewallRule; staleRemoved: FirewallRule[] }> {
    const staleSeen = new Map<string, FirewallRule>();
    const mine = (r: FirewallRule) => r.description === description && r.type === 'ip_addr' && r.value === ip;
    const rules = await this.readModifyWrite(
      clusterId,
      current => current.some(mine),
      current => {
        const kept = current.filter(r => {
          if (!isStale(r)) return true;
          staleSeen.set(r.uuid ?? `${r.type}:${r.value}`, r);
          return false;
        });
        if (kept.length + 1 > FIREWALL_RULE_LIMIT)
          throw new TrustedSourceRefusal(
            `trusted-source: the firewall of the database cluster is full (${current.length} of ${FIREWALL_RULE_LIMIT} trusted sources); remove a rule or reach the database another way (self-hosted runner in the VPC, PRE_DEPLOY job)`
          );
        return [...kept, { type: 'ip_addr', value: ip, description }];
      },
      `add the trusted source ${ip}`,
      initial
    );
    const staleRemoved = [...staleSeen.values()].filter(
      s => !rules.some(r => s.uuid !== undefined && r.uuid === s.uuid)
    );
    return { rule: rules.find(mine)!, staleRemoved };
  }

  /** Removes our rule (by uuid, and by its description in case a stale write brought it back under a new uuid). */
  async removeRule(clusterId: string, rule: { uuid?: string; description: string }): Promise<boolean> {
    const mine = (r: FirewallRule) =>
      (rule.uuid !== undefined && r.uuid === rule.uuid) || r.description === rule.description;
    return (
      (await this.removeMatching(clusterId, mine, `remove the trusted source '${rule.description}'`)).length >
      0
    );
  }

  /** Removes every rule `match` selects; returns those it saw before removing them. */
  async removeMatching(
    clusterId: string,
    match: (rule: FirewallRule) => boolean,
    what: string,
    initial?: FirewallRule[]
  ): Promise<FirewallRule[]> {
    const seen = new Map<string, FirewallRule>();
    await this.readModifyWrite(
      clusterId,
      current => !current.some(match),
      current => {
        for (const r of current.filter(match)) seen.set(r.uuid ?? `${r.type}:${r.value}`, r);
        return current.filter(r => !match(r));
      },
      what,
      initial
    );
    return [...seen.values()];
  }

  /**
   * The protocol of this file's header: read, PUT, settle, read until `done(rules)`. `change` may throw a refusal.
   * Returns the settled rules.
   */
  private async readModifyWrite(
    clusterId: string,
    done: (rules: FirewallRule[]) => boolean,
    change: (rules: FirewallRule[]) => FirewallRule[],
    what: string,
    initial?: FirewallRule[]
  ): Promise<FirewallRule[]> {
    const path = `/v2/databases/${encodeURIComponent(clusterId)}/firewall`;
    let current = initial ?? (await this.rules(clusterId));
    for (let round = 1; ; round++) {
      if (done(current)) return current;
      if (round > this.rounds)
        throw new Error(
          `trusted-source: could not ${what} on the firewall of cluster ${clusterId} in ${this.rounds} read-modify-write rounds (other writers kept changing it)`
        );
      const body = { rules: change(current).map(writable) };
      try {
        await this.writer.call('PUT', path, body);
      } catch (error) {
        this.raiseUnlessTransient(error, `PUT ${path}`);
        this.logger.info(`${errorMessage(error)}; reading the rules again`);
      }
      await this.sleep(this.settleMs);
      current = await this.rules(clusterId);
      if (!done(current)) {
        const backoffMs = Math.round(Math.random() * Math.min(8000, 250 * 2 ** round));
        this.logger.info(
          `trusted-source: another writer changed the firewall at the same time; trying again in ${backoffMs} ms`
        );
        await this.sleep(backoffMs);
        current = await this.rules(clusterId);
      }
    }
  }

  private async read<T>(path: string): Promise<T> {
    try {
      return await this.reader.call<T>('GET', path);
    } catch (error) {
      this.raiseUnlessTransient(error, `GET ${path.split('?')[0]}`, true);
      throw error;
    }
  }

  /** 403 is named as the missing scope; 429/5xx/network errors of a PUT are transient (the round is redone). */
  private raiseUnlessTransient(error: unknown, call: string, always = false): void {
    if (error instanceof RemoteError && error.status === 403)
      throw new TrustedSourceRefusal(
        `trusted-source: the DigitalOcean token lacks the database scope (custom scopes database:read and database:update are needed): ${error.message}`
      );
    if (error instanceof RemoteError && error.status === 404 && call.includes('/firewall'))
      throw new TrustedSourceRefusal(`trusted-source: unknown database cluster: ${error.message}`);
    const status = error instanceof RemoteError ? error.status : undefined;
    const transient =
      status === undefined
        ? !(error instanceof RemoteError)
        : status === 429 || (status >= 500 && status !== 501);
    if (always || !transient) throw error;
  }
}

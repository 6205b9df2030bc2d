// DigitalOcean's managed-database listing and firewall ("trusted sources") endpoints, as the simulator serves them:
//   GET /v2/databases                      {databases:[cluster]}        page/per_page (godo ListOptions)
//   GET /v2/databases/{uuid}/firewall      {rules:[rule]}
//   PUT /v2/databases/{uuid}/firewall      {rules:[rule]} replaces every rule; 204, no body
// Shapes: digitalocean/openapi specification/resources/databases/{databases_list_clusters,databases_list_firewalls,
// databases_update_firewall_rules}.yml, models/firewall_rule.yml, responses/database_clusters.yml; godo databases.go
// (Database, DatabaseConnection, DatabaseFirewallRule). Rules from the same spec text: at most 100 rules, no IPv6
// addresses. Types: the spec's enum (droplet, k8s, ip_addr, tag) plus `app`, which doctl's `firewalls append`
// accepts (commands/databases.go). Scopes (security blocks of the same files): reading needs `database:read`
// (the spec's older spelling: `read`), the PUT `database:update`; a custom-scoped token without them gets
// DigitalOcean's 403 body {id: forbidden}. Messages of the 422s below are the simulator's own words: the real
// ones are not documented.
// Not modelled: a client-sent `uuid` the cluster does not know is given a new uuid (the real API's handling of it is
// undocumented); duplicate values are accepted (also undocumented).
import { randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export const FIREWALL_RULE_LIMIT = 100;
const RULE_TYPES = new Set(['droplet', 'k8s', 'ip_addr', 'tag', 'app']);

export interface FirewallRule {
  uuid: string;
  cluster_uuid: string;
  type: string;
  value: string;
  created_at: string;
  description?: string;
}

export interface ClusterConnection {
  protocol: string;
  uri: string;
  database: string;
  host: string;
  port: number;
  user: string;
  password: string;
  ssl: boolean;
}

export interface SimCluster {
  id: string;
  name: string;
  engine: string;
  version: string;
  connection: ClusterConnection;
  private_connection: ClusterConnection;
  users: Array<{ name: string; role: string; password: string }>;
  db_names: string[];
  num_nodes: number;
  region: string;
  status: string;
  created_at: string;
  size: string;
  tags: string[];
  private_network_uuid: string;
}

/** One firewall state of one cluster, after a PUT (or a seed), with the process-local time it took effect. */
export interface FirewallChange {
  clusterId: string;
  /** performance.now() when the new rules became visible. */
  at: number;
  rules: FirewallRule[];
}

export interface AddClusterOptions {
  name: string;
  /** Where clients connect (the TCP gate in tests). */
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  rules?: Array<Pick<FirewallRule, 'type' | 'value'> & { description?: string; created_at?: string }>;
}

interface Reply {
  status: number;
  body?: unknown;
}

export type ApiErrorFactory = (status: number, id: string, message: string) => Error;

export class DatabasesState {
  readonly clusters = new Map<string, { cluster: SimCluster; rules: FirewallRule[] }>();
  /** Every firewall state each cluster went through, oldest first. */
  readonly history: FirewallChange[] = [];
  /** Scopes of the simulator's token; undefined = a full-access token. */
  tokenScopes: Set<string> | undefined;
  /** Per-request delay range (ms) before and after the work: widens the windows concurrent clients race in. */
  latencyMs: { min: number; max: number } = { min: 0, max: 0 };

  addCluster(opts: AddClusterOptions): SimCluster {
    const id = randomUUID();
    const conn = (host: string): ClusterConnection => {
      const user = opts.user ?? 'doadmin';
      const password = opts.password ?? 'sim';
      const database = opts.database ?? 'defaultdb';
      return {
        protocol: 'postgresql',
        uri: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${opts.port}/${database}?sslmode=require`,
        database,
        host,
        port: opts.port,
        user,
        password,
        ssl: true
      };
    };
    const cluster: SimCluster = {
      id,
      name: opts.name,
      engine: 'pg',
      version: '16',
      connection: conn(opts.host),
      private_connection: conn(`private-${opts.name}.sim.db.ondigitalocean.invalid`),
      users: [{ name: opts.user ?? 'doadmin', role: 'primary', password: opts.password ?? 'sim' }],
      db_names: [opts.database ?? 'defaultdb'],
      num_nodes: 1,
      region: 'fra1',
      status: 'online',
      created_at: new Date().toISOString(),
      size: 'db-s-1vcpu-1gb',
      tags: [],
      private_network_uuid: randomUUID()
    };
    const rules = (opts.rules ?? []).map(r => ({
      uuid: randomUUID(),
      cluster_uuid: id,
      type: r.type,
      value: r.value,
      created_at: r.created_at ?? new Date().toISOString(),
      ...(r.description !== undefined ? { description: r.description } : {})
    }));
    this.clusters.set(id, { cluster, rules });
    this.history.push({ clusterId: id, at: performance.now(), rules });
    return cluster;
  }

  /** The rules of a cluster now (copies). */
  rules(clusterId: string): FirewallRule[] {
    const entry = this.clusters.get(clusterId);
    if (!entry) throw new Error(`no cluster ${clusterId}`);
    return entry.rules.map(r => ({ ...r }));
  }

  /** Whether any ip_addr rule of the cluster admits `address` (an exact IPv4 or a CIDR range holding it). */
  admits(clusterId: string, address: string): boolean {
    return (this.clusters.get(clusterId)?.rules ?? []).some(r => ruleAdmits(r, address));
  }
}

/** An ip_addr rule admits an address equal to its value or inside its IPv4 CIDR range. */
export function ruleAdmits(rule: Pick<FirewallRule, 'type' | 'value'>, address: string): boolean {
  if (rule.type !== 'ip_addr') return false;
  const v4 = address.replace(/^::ffff:/, '');
  if (!isIPv4(v4)) return false;
  const [base, bits] = rule.value.split('/');
  if (!isIPv4(base!)) return false;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (ipv4Number(base!) & mask) >>> 0 === (ipv4Number(v4) & mask) >>> 0;
}

const ipv4Number = (ip: string) => ip.split('.').reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;

const states = new WeakMap<object, DatabasesState>();

/** The databases state of one simulator (keyed by its engine, which the API context and the handle share). */
export function databasesOf(engine: object): DatabasesState {
  let state = states.get(engine);
  if (!state) states.set(engine, (state = new DatabasesState()));
  return state;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** /v2/databases...: the router's hook. */
export async function routeDatabases(
  engine: object,
  r: { method: string; path: string; query: URLSearchParams; body: unknown },
  error: ApiErrorFactory
): Promise<Reply> {
  const state = databasesOf(engine);
  const { min, max } = state.latencyMs;
  const delay = () => (max > 0 ? sleep(min + Math.random() * (max - min)) : Promise.resolve());
  await delay();
  const reply = answer(state, r, error);
  await delay();
  return reply;
}

function answer(
  state: DatabasesState,
  r: { method: string; path: string; query: URLSearchParams; body: unknown },
  error: ApiErrorFactory
): Reply {
  const seg = r.path.split('/').slice(1); // ['v2', 'databases', uuid?, 'firewall'?]
  const [, , clusterId, sub, ...rest] = seg;
  const notFound = () => error(404, 'not_found', 'The resource you requested could not be found.');
  const need = (scope: string) => {
    if (state.tokenScopes && !state.tokenScopes.has(scope))
      throw error(403, 'forbidden', 'You do not have access for the attempted action.');
  };
  if (clusterId === undefined) {
    if (r.method !== 'GET')
      throw error(405, 'method_not_allowed', 'The method is not allowed for this resource.');
    need('database:read');
    const all = [...state.clusters.values()].map(e => e.cluster);
    const perPage = Math.min(200, Math.max(1, Number(r.query.get('per_page') ?? 20) || 20));
    const page = Math.max(1, Number(r.query.get('page') ?? 1) || 1);
    return { status: 200, body: { databases: all.slice((page - 1) * perPage, page * perPage) } };
  }
  if (sub !== 'firewall' || rest.length > 0) throw notFound();
  const entry = state.clusters.get(clusterId);
  if (r.method === 'GET') {
    need('database:read');
    if (!entry) throw notFound();
    return { status: 200, body: { rules: entry.rules } };
  }
  if (r.method !== 'PUT')
    throw error(405, 'method_not_allowed', 'The method is not allowed for this resource.');
  need('database:update');
  if (!entry) throw notFound();
  const body = r.body as { rules?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.rules))
    throw error(400, 'bad_request', 'rules is required');
  if (body.rules.length > FIREWALL_RULE_LIMIT)
    throw error(
      422,
      'unprocessable_entity',
      `a database firewall holds at most ${FIREWALL_RULE_LIMIT} rules, got ${body.rules.length}`
    );
  const known = new Map(entry.rules.map(rule => [rule.uuid, rule]));
  const next: FirewallRule[] = [];
  for (const raw of body.rules as unknown[]) {
    const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const type = rule.type;
    const value = rule.value;
    if (typeof type !== 'string' || !RULE_TYPES.has(type))
      throw error(422, 'unprocessable_entity', `invalid rule type ${JSON.stringify(type)}`);
    if (typeof value !== 'string' || value === '')
      throw error(422, 'unprocessable_entity', 'every rule needs a value');
    if (type === 'ip_addr') {
      const [address, bits] = value.split('/');
      if (isIPv6(address!))
        throw error(422, 'unprocessable_entity', `IPv6 addresses cannot be trusted sources: ${value}`);
      if (!isIPv4(address!) || (bits !== undefined && !/^(\d|[12]\d|3[0-2])$/.test(bits)))
        throw error(422, 'unprocessable_entity', `invalid IP address ${value}`);
    }
    const previous = typeof rule.uuid === 'string' ? known.get(rule.uuid) : undefined;
    next.push({
      uuid: previous?.uuid ?? randomUUID(),
      cluster_uuid: clusterId,
      type,
      value,
      created_at: previous?.created_at ?? new Date().toISOString(),
      ...(typeof rule.description === 'string' ? { description: rule.description } : {})
    });
  }
  entry.rules = next;
  state.history.push({ clusterId, at: performance.now(), rules: next });
  return { status: 204 };
}

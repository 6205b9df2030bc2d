// The `trusted-source` inputs of migrate and backup (DESIGN.md "Reaching a locked-down database"): the main step
// opens the database firewall for this runner, the `post:` step (post-if: always()) closes it again. What the post
// step must undo travels in the action's state, saved BEFORE the rule is written, so a main step cancelled half-way
// through the add is still cleaned up.
import { getState, saveState } from '../kit/workflow-commands.js';
import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import type { Inputs } from '../kit/inputs.js';
import type { Logger } from '../kit/log.js';
import { facts } from '../kit/markdown.js';
import { Summary } from '../kit/summary.js';
import type { FirewallRule } from './database-firewall.js';

const STATE = 'trusted-source';
const DEFAULT_API_URL = 'https://api.digitalocean.com';

interface OpenedState {
  apiUrl: string;
  clusterId: string;
  clusterName: string;
  ip: string;
  description: string;
  uuid?: string;
}

export interface TrustedSourceReport {
  cluster: string;
  ip: string;
  /** The rule we added, or the one (not ours) that already admitted the runner. */
  rule: FirewallRule;
  added: boolean;
  staleRemoved: FirewallRule[];
  durationMs: number;
  requests: number;
}

const describeRule = (r: FirewallRule) => `${r.type} ${r.value}${r.description ? ` '${r.description}'` : ''}`;

/** Reads the trusted-source inputs; with `runner-ip`, adds this runner to the cluster's firewall. */
export async function openTrustedSource(
  inputs: Inputs,
  logger: Logger,
  databaseUrl: string,
  opts: { settleMs?: number } = {}
): Promise<TrustedSourceReport | undefined> {
  const mode = inputs.enumeration('trusted-source', ['none', 'runner-ip'] as const, 'none');
  const token = inputs.secret('digitalocean-token', {
    required: mode === 'runner-ip',
    hint: 'trusted-source: runner-ip needs a DigitalOcean token with the database:read and database:update scopes'
  });
  if (mode === 'none') return undefined;
  // Loaded only when used: a job without a trusted source does not pay for the HTTP client.
  const {
    DEFAULT_RUNNER_IP_URL,
    DEFAULT_STALE_AFTER_MS,
    DatabaseFirewall,
    isStaleRule,
    isSuiteRule,
    jobIdentity,
    lookUpRunnerIp,
    ruleAdmits,
    ruleDescription
  } = await import('./database-firewall.js');
  const cluster = inputs.string('database-cluster');
  const ipUrl =
    inputs.url('runner-ip-url', { protocols: ['https:', 'http:'] })?.toString() ?? DEFAULT_RUNNER_IP_URL;
  const apiUrl = inputs.url('api-url', { protocols: ['https:', 'http:'] })?.toString() ?? DEFAULT_API_URL;
  const started = performance.now();
  const ip = await lookUpRunnerIp(ipUrl);
  const firewall = new DatabaseFirewall({ token: token!, apiUrl, logger, settleMs: opts.settleMs });
  const found = await firewall.findCluster(cluster, databaseUrl);
  const me = jobIdentity();
  const description = ruleDescription(me);
  const now = Date.now();
  const isStale = (r: FirewallRule) => isStaleRule(r, me, now, DEFAULT_STALE_AFTER_MS);
  const rules = await firewall.rules(found.id);
  const report = (rule: FirewallRule, added: boolean, staleRemoved: FirewallRule[]): TrustedSourceReport => {
    for (const s of staleRemoved)
      logger.warning(
        `trusted-source: removed a rule left behind by an earlier job (${describeRule(s)}, created ${s.created_at ?? '?'})`
      );
    const r: TrustedSourceReport = {
      cluster: found.name,
      ip,
      rule,
      added,
      staleRemoved,
      durationMs: performance.now() - started,
      requests: firewall.requestCount
    };
    logger.info(
      added
        ? `trusted-source: added ${ip} to the firewall of ${found.name} (rule ${rule.uuid ?? '?'}, '${description}') in ${formatDuration(r.durationMs)}, ${r.requests} API requests; the post step removes it`
        : `trusted-source: ${describeRule(rule)} already admits ${ip} on ${found.name}; using it and leaving it alone`
    );
    return r;
  };

  // A rule someone else keeps (not one of this suite's temporary ones) is theirs to remove, not ours.
  const existing = rules.find(r => ruleAdmits(r, ip) && !isSuiteRule(r));
  if (existing) {
    const stale = rules.some(isStale)
      ? await firewall.removeMatching(found.id, isStale, 'remove stale trusted sources', rules)
      : [];
    return report(existing, false, stale);
  }
  const state: OpenedState = { apiUrl, clusterId: found.id, clusterName: found.name, ip, description };
  saveState(STATE, JSON.stringify(state));
  const { rule, staleRemoved } = await firewall.addRule(found.id, ip, description, isStale, rules);
  saveState(STATE, JSON.stringify({ ...state, uuid: rule.uuid }));
  return report(rule, true, staleRemoved);
}

/** The post step: removes the rule the main step added (nothing when it added none). */
export async function closeTrustedSource(
  inputs: Inputs,
  logger: Logger,
  opts: { settleMs?: number } = {}
): Promise<void> {
  const raw = getState(STATE);
  if (!raw) return;
  const state = JSON.parse(raw) as OpenedState;
  const { DEFAULT_STALE_AFTER_MS, DatabaseFirewall } = await import('./database-firewall.js');
  const token = inputs.secret('digitalocean-token', { required: true });
  const started = performance.now();
  const firewall = new DatabaseFirewall({ token, apiUrl: state.apiUrl, logger, settleMs: opts.settleMs });
  try {
    const removed = await firewall.removeRule(state.clusterId, state);
    const ms = performance.now() - started;
    logger.info(
      removed
        ? `trusted-source: removed ${state.ip} from the firewall of ${state.clusterName} in ${formatDuration(ms)}, ${firewall.requestCount} API requests`
        : `trusted-source: the rule for ${state.ip} was not on the firewall of ${state.clusterName} (nothing to remove)`
    );
    new Summary()
      .heading('Trusted source removed', 3)
      .add(
        facts([
          ['Cluster', state.clusterName],
          ['Runner IP', state.ip],
          ['Rule', `${removed ? 'removed' : 'was not there'}: '${state.description}'`],
          ['Took', `${formatDuration(ms)}, ${firewall.requestCount} API requests`]
        ])
      )
      .write();
  } catch (error) {
    throw new Error(
      `trusted-source: the rule '${state.description}' for ${state.ip} is still on the firewall of ${state.clusterName} (${state.clusterId}): ${errorMessage(error)}. A later run removes it once it is ${DEFAULT_STALE_AFTER_MS / 3600_000} h old, or remove it now: doctl databases firewalls remove ${state.clusterId} --uuid ${state.uuid ?? '<uuid>'}`
    );
  }
}

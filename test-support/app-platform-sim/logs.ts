// The log archive behind historic_urls / live_url: per-deployment lines, rendered like App Platform's
// `<component> <timestamp> <message>`, and when a follower should stop (the stage is over).
import type { DeploymentState, Engine } from './engine.js';
import { TERMINAL_PHASES, type LogType } from './types.js';

export const LOG_TYPES: LogType[] = ['BUILD', 'DEPLOY', 'RUN'];

export interface LogTarget {
  dep: DeploymentState;
  /** BUILD | DEPLOY | RUN | UNSPECIFIED (all) */
  type: string;
  component: string | null;
  mode: 'archive' | 'live';
}

/** `/sim-logs/<dep>/<key>/<TYPE>/<archive|live>?component=`; undefined unless the key matches the deployment's. */
export function resolveLogUrl(engine: Engine, url: URL): LogTarget | undefined {
  const [, , depId, key, type, mode] = url.pathname.split('/');
  if (
    !depId ||
    !type ||
    !['UNSPECIFIED', ...LOG_TYPES].includes(type) ||
    (mode !== 'archive' && mode !== 'live')
  )
    return undefined;
  for (const app of engine.apps.values()) {
    const dep = engine.findDeployment(app, depId);
    if (dep && dep.logKey === key) return { dep, type, component: url.searchParams.get('component'), mode };
  }
  return undefined;
}

/** Lines from index `from` on, and how many there are in all (the next `from`). */
export function renderLines(t: LogTarget, from = 0): { lines: string[]; count: number } {
  const types = t.type === 'UNSPECIFIED' ? LOG_TYPES : [t.type as LogType];
  const all = types
    .flatMap(type => t.dep.logs[type])
    .filter(l => t.component === null || l.component === t.component)
    .sort((a, b) => a.at.localeCompare(b.at));
  return { lines: all.slice(from).map(l => `${l.component} ${l.at} ${l.text}`), count: all.length };
}

/** Following ends when the deployment ended, or, for build/deploy logs, once it is live (the stage is over). */
export function followEnded(t: LogTarget): boolean {
  const phase = t.dep.phase;
  if (TERMINAL_PHASES.includes(phase) && phase !== 'ACTIVE') return true;
  return phase === 'ACTIVE' && (t.type === 'BUILD' || t.type === 'DEPLOY');
}

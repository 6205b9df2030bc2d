import { InputError } from '../kit/errors.js';
import { LOG_LINE } from './offline-sql.js';

/**
 * Alembic's revision graph as printed by `alembic history` (no database needed), and the questions the
 * migrate action asks of it: which revisions lie between the database's current revision(s) and a target.
 */
export interface Revision {
  id: string;
  /** Parent revisions; empty for a root (`<base> -> 0001`), two or more for a merge. */
  down: string[];
  message: string;
  /** Alembic marks it `(head)` in its history. */
  head?: boolean;
}

/** Revision ids from `alembic heads` / `alembic current` stdout: the first word of each line. */
export function parseRevisionList(stdout: string): string[] {
  const ids: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (LOG_LINE.test(line)) continue;
    const m = /^([0-9A-Za-z_]+)(?:\s|$)/.exec(line.trim());
    if (m && !ids.includes(m[1]!)) ids.push(m[1]!);
  }
  return ids;
}

/** `alembic history` lines: `0001, 0002 -> 0003 (head) (mergepoint), message`, newest first. */
export function parseHistory(stdout: string): Revision[] {
  const revisions: Revision[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const m = /^(.+?) -> ([0-9A-Za-z_]+)((?: \([^)]*\))*)(?:, ?(.*))?$/.exec(raw.trim());
    if (!m) continue;
    const down = m[1] === '<base>' ? [] : m[1]!.split(/,\s*/).filter(Boolean);
    const head = /\(head\)/.test(m[3] ?? '');
    revisions.push({ id: m[2]!, down, message: (m[4] ?? '').trim(), ...(head ? { head } : {}) });
  }
  return revisions;
}

export class RevisionGraph {
  private readonly byId = new Map<string, Revision>();

  constructor(revisions: Revision[]) {
    for (const r of revisions) this.byId.set(r.id, r);
  }

  get(id: string): Revision | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The heads as Alembic marked them in its history, or else the revisions nobody names as a parent. */
  heads(): string[] {
    const marked = [...this.byId.values()].filter(r => r.head).map(r => r.id);
    if (marked.length) return marked;
    const parents = new Set([...this.byId.values()].flatMap(r => r.down));
    return [...this.byId.keys()].filter(id => !parents.has(id));
  }

  /**
   * Resolves the `target` input: `head` (the single head), `heads`, or a revision id or unique prefix of one,
   * as Alembic accepts them. Other Alembic syntaxes (relative `+1`, `branch@head`) are refused by name.
   */
  resolveTarget(target: string, heads: string[]): string[] {
    if (target === 'head' || target === 'heads') return heads;
    if (this.byId.has(target)) return [target];
    const matches = [...this.byId.keys()].filter(id => id.startsWith(target));
    if (matches.length === 1) return matches;
    if (matches.length > 1)
      throw new InputError('target', `'${target}' is ambiguous: it starts ${matches.sort().join(', ')}`);
    throw new InputError(
      'target',
      `'${target}' is not a revision of this project (use head, heads or a revision id; known: ${this.known()})`
    );
  }

  /** The revisions themselves and everything below them. */
  ancestors(ids: string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.byId.get(id)?.down ?? []));
    }
    return seen;
  }

  /**
   * What `alembic upgrade <targets>` applies to a database at `current`: every ancestor of the targets that
   * is not already an ancestor of the current revision(s), parents before children.
   */
  pending(current: string[], targets: string[]): Revision[] {
    const done = this.ancestors(current);
    const ordered: Revision[] = [];
    const visited = new Set<string>();
    const visit = (id: string) => {
      if (visited.has(id) || done.has(id)) return;
      visited.add(id);
      const r = this.byId.get(id);
      if (!r) return;
      for (const parent of r.down) visit(parent);
      ordered.push(r);
    };
    for (const t of targets) visit(t);
    return ordered;
  }

  private known(): string {
    const ids = [...this.byId.keys()];
    return ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, ...` : ids.join(', ') || 'none';
  }
}

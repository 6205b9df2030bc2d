import { readFileSync } from 'node:fs';

/** The parts of the GitHub Actions context that tags and labels depend on. */
export interface GitHubContext {
  eventName: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/12/merge` */
  ref: string;
  sha: string;
  /** `Owner/Repo` as GitHub spells it. */
  repository: string;
  serverUrl: string;
  /** From the event payload (`repository.default_branch`); undefined when unknown. */
  defaultBranch?: string;
  /** Pull request number, for pull_request events. */
  prNumber?: number;
}

interface EventPayload {
  number?: number;
  pull_request?: { number?: number };
  repository?: { default_branch?: string };
}

/** Reads the context from the runner's environment and the event payload file. */
export function readGitHubContext(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = p => readFileSync(p, 'utf8')
): GitHubContext {
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFile(env.GITHUB_EVENT_PATH)) as EventPayload;
    } catch {
      // No readable payload (local runs): the default branch and PR number fall back to what the ref says.
    }
  }
  const ref = env.GITHUB_REF ?? '';
  const prFromRef = /^refs\/pull\/(\d+)\//.exec(ref)?.[1];
  const prNumber =
    payload.pull_request?.number ?? payload.number ?? (prFromRef ? Number(prFromRef) : undefined);
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref,
    sha: env.GITHUB_SHA ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: payload.repository?.default_branch,
    prNumber: Number.isInteger(prNumber) ? prNumber : undefined
  };
}

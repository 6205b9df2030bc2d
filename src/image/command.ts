import { runChild } from '../kit/child-process.js';

/** One external command (buildah, docker), run without a shell so nothing is re-parsed. */
export interface CommandOptions {
  /** Written to stdin, then closed: how passwords reach `login --password-stdin`. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each output line (stdout and stderr interleaved), as it arrives. */
  onLine?: (line: string) => void;
  /**
   * SIGTERM the command when this process dies, even by SIGKILL (`setpriv --pdeathsig`, where installed): a build
   * must not go on, or push, as an orphan once the action is killed, and buildah removes its working containers on
   * SIGTERM.
   */
  dieWithParent?: boolean;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr lines in arrival order. */
  lines: string[];
}

export type RunCommand = (command: string, args: string[], opts?: CommandOptions) => Promise<CommandResult>;

/**
 * The one spawn wrapper (src/kit/child-process.ts) in the shape the builders take: injectable, so builder logic
 * is tested with a fake `RunCommand`. A program that is not installed rejects with the kit's ProgramNotFoundError.
 */
export const spawnCommand: RunCommand = async (command, args, opts = {}) => {
  const r = await runChild([command, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    input: opts.input,
    onLine: opts.onLine,
    dieWithParent: opts.dieWithParent ? 'TERM' : undefined
  });
  return { exitCode: r.code ?? 1, stdout: r.stdout, stderr: r.stderr, lines: r.lines };
};

/** The last line that looks like an error, for one-line failure messages. */
export function lastErrorLine(lines: string[]): string | undefined {
  const meaningful = lines.map(l => l.trim()).filter(Boolean);
  const errorish = meaningful.filter(l =>
    /error|denied|unauthori[sz]ed|failed|no such file|not found/i.test(l)
  );
  // `#6 ERROR: ...` (buildx step prefix) and `Error: ...` say nothing the surrounding message does not.
  return (errorish.pop() ?? meaningful.pop())?.replace(/^#\d+\s+/, '').replace(/^error:\s*/i, '');
}

import { redact } from './secrets.js';
import { commandLine } from './workflow-commands.js';

/**
 * Logging for code under src/: GitHub workflow commands written to stdout (workflow-commands.ts),
 * every line passed through `redact` first so a secret cannot reach the log even outside the runner.
 */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  notice(message: string): void;
  debug(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

type Sink = (line: string) => void;

export function createLogger(sink: Sink = line => process.stdout.write(`${line}\n`)): Logger {
  const emit = (line: string) => sink(redact(line));
  return {
    info: m => emit(m),
    warning: m => emit(commandLine('warning', m)),
    error: m => emit(commandLine('error', m)),
    notice: m => emit(commandLine('notice', m)),
    debug: m => emit(commandLine('debug', m)),
    async group(title, fn) {
      emit(`::group::${title}`);
      try {
        return await fn();
      } finally {
        emit('::endgroup::');
      }
    }
  };
}

/** A logger that records lines: for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createLogger(l => lines.push(l)),
    { lines }
  );
}

export const defaultLogger: Logger = createLogger();

import { redact } from './secrets.js';

/**
 * Logging for code under src/: GitHub workflow commands written to stdout (what @actions/core writes too),
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

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export function createLogger(sink: Sink = line => process.stdout.write(`${line}\n`)): Logger {
  const emit = (line: string) => sink(redact(line));
  return {
    info: m => emit(m),
    warning: m => emit(`::warning::${escapeData(m)}`),
    error: m => emit(`::error::${escapeData(m)}`),
    notice: m => emit(`::notice::${escapeData(m)}`),
    debug: m => emit(`::debug::${escapeData(m)}`),
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

/** A workflow construct this harness does not implement: the run fails with it, never skips it silently. */
export class Unsupported extends Error {
  constructor(what: string) {
    super(`workflow-runner does not support ${what}`);
    this.name = 'Unsupported';
  }
}

/** Fails loudly on any key of a mapping that is not in `known`. */
export function onlyKnown(where: string, keys: Iterable<string>, known: readonly string[]): void {
  for (const key of keys) if (!known.includes(key)) throw new Unsupported(`\`${key}\` in ${where}`);
}

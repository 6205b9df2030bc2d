import { appendFileSync } from 'node:fs';
import { redact } from './secrets.js';

/**
 * Job summary writer. Appends Markdown to `$GITHUB_STEP_SUMMARY` (the runner renders it; the CLI points it
 * at a file and prints it). Redacted like every other output. Sections are joined by blank lines.
 */
export class Summary {
  private readonly parts: string[] = [];

  add(markdown: string): this {
    this.parts.push(markdown);
    return this;
  }

  heading(text: string, level = 2): this {
    return this.add(`${'#'.repeat(level)} ${text}`);
  }

  toString(): string {
    return redact(this.parts.join('\n\n'));
  }

  /** Writes what was added so far, if the environment has a summary file. Never throws. */
  write(file: string | undefined = process.env.GITHUB_STEP_SUMMARY): boolean {
    if (!file || this.parts.length === 0) return false;
    try {
      appendFileSync(file, `${this.toString()}\n\n`);
      this.parts.length = 0;
      return true;
    } catch {
      return false;
    }
  }
}

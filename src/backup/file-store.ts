import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancellation } from '../kit/cancellation.js';
import type { BackupStore, StaleLeftover, StoredObject } from './storage.js';

/** Temporary names carry this marker; they are never listed as backups. */
const PARTIAL = '.partial-';

/** A local directory as backup storage: written under a temporary name, fsynced, renamed when whole. */
export class FileStore implements BackupStore {
  readonly location: string;

  constructor(private readonly directory: string) {
    this.location = `file://${directory}`;
  }

  keyOf(name: string): string {
    return join(this.directory, name);
  }

  /** Writes `name` under a temporary name, fsyncs it, then moves it into place (never over an existing file with `ifAbsent`). */
  private async writeAtomically(
    name: string,
    write: (tmp: string) => Promise<void>,
    opts: { ifAbsent?: boolean } = {}
  ): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const tmp = join(this.directory, `${name}${PARTIAL}${randomBytes(4).toString('hex')}`);
    const undo = cancellation.addUndo(`remove partial file ${tmp}`, () => rm(tmp, { force: true }));
    try {
      await write(tmp);
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (opts.ifAbsent) {
        // link(2) fails with EEXIST instead of replacing: another run's file stays whole.
        await link(tmp, this.keyOf(name)).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST'
            ? new Error(`${this.keyOf(name)} already exists; not replaced`)
            : error;
        });
        await rm(tmp, { force: true });
      } else {
        await rename(tmp, this.keyOf(name));
      }
      undo.dismiss();
    } catch (error) {
      await undo.run();
      throw error;
    }
  }

  upload(name: string, body: Readable): Promise<void> {
    return this.writeAtomically(name, tmp => pipeline(body, createWriteStream(tmp, { flags: 'wx' })), {
      ifAbsent: true
    });
  }

  async head(name: string): Promise<{ size: number } | undefined> {
    try {
      return { size: (await stat(this.keyOf(name))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(name: string): Promise<Readable> {
    await stat(this.keyOf(name));
    return createReadStream(this.keyOf(name), { highWaterMark: 1 << 20 });
  }

  putText(name: string, text: string, opts: { ifAbsent?: boolean } = {}): Promise<void> {
    return this.writeAtomically(name, tmp => writeFile(tmp, text, { flag: 'wx' }), opts);
  }

  getText(name: string): Promise<string> {
    return readFile(this.keyOf(name), 'utf8');
  }

  async list(): Promise<StoredObject[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: StoredObject[] = [];
    for (const name of names.filter(n => !n.includes(PARTIAL))) {
      const s = await stat(join(this.directory, name));
      if (s.isFile()) out.push({ name, size: s.size, lastModified: s.mtime });
    }
    return out;
  }

  remove(name: string): Promise<void> {
    return rm(this.keyOf(name), { force: true });
  }

  async staleLeftovers(before: Date): Promise<StaleLeftover[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: StaleLeftover[] = [];
    for (const name of names.filter(n => n.includes(PARTIAL))) {
      const path = join(this.directory, name);
      const s = await stat(path).catch(() => undefined);
      if (s?.isFile() && s.mtime < before)
        out.push({
          what: `partial file ${path} (last written ${s.mtime.toISOString()})`,
          remove: () => rm(path, { force: true })
        });
    }
    return out;
  }
}

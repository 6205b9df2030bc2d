import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupStore, StoredObject } from './storage.js';

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

  private async writeAtomically(name: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const tmp = join(this.directory, `${name}${PARTIAL}${randomBytes(4).toString('hex')}`);
    try {
      await write(tmp);
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.keyOf(name));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  upload(name: string, body: Readable): Promise<void> {
    return this.writeAtomically(name, tmp => pipeline(body, createWriteStream(tmp, { flags: 'wx' })));
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

  putText(name: string, text: string): Promise<void> {
    return this.writeAtomically(name, tmp => writeFile(tmp, text, { flag: 'wx' }));
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
}

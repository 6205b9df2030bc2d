import { archiveName, manifestName, parseBackupId } from './id.js';
import { parseManifest, type Manifest } from './manifest.js';
import type { BackupStore } from './storage.js';

export interface CompleteBackup {
  id: string;
  time: Date;
  manifest: Manifest;
}

export interface IncompleteBackup {
  id: string;
  time: Date;
  /** What is there: an archive without manifest (interrupted, or in progress), or a manifest without archive. */
  problem: 'no manifest' | 'no archive';
  size: number;
  lastModified: Date;
}

export interface Catalog {
  /** Newest first. */
  complete: CompleteBackup[];
  incomplete: IncompleteBackup[];
}

/** Reads the folder: a backup is complete only when its manifest and its archive are both there. */
export async function readCatalog(store: BackupStore): Promise<Catalog> {
  const objects = await store.list();
  const byName = new Map(objects.map(o => [o.name, o]));
  const ids = new Set<string>();
  for (const o of objects) {
    const m = /^(.+?)\.(dump\.pgp|json)$/.exec(o.name);
    if (m && parseBackupId(m[1]!)) ids.add(m[1]!);
  }
  const complete: CompleteBackup[] = [];
  const incomplete: IncompleteBackup[] = [];
  for (const id of ids) {
    const time = parseBackupId(id)!;
    const archive = byName.get(archiveName(id));
    const manifest = byName.get(manifestName(id));
    if (archive && manifest) {
      complete.push({
        id,
        time,
        manifest: parseManifest(await store.getText(manifestName(id)), store.keyOf(manifestName(id)))
      });
    } else if (archive) {
      incomplete.push({
        id,
        time,
        problem: 'no manifest',
        size: archive.size,
        lastModified: archive.lastModified
      });
    } else if (manifest) {
      incomplete.push({
        id,
        time,
        problem: 'no archive',
        size: manifest.size,
        lastModified: manifest.lastModified
      });
    }
  }
  const newestFirst = (a: { id: string }, b: { id: string }) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return { complete: complete.sort(newestFirst), incomplete: incomplete.sort(newestFirst) };
}

/** The chosen backup, or the newest complete one; one line when there is none. */
export function pickBackup(catalog: Catalog, id: string | undefined, location: string): CompleteBackup {
  if (id) {
    const found = catalog.complete.find(b => b.id === id);
    if (found) return found;
    const partial = catalog.incomplete.find(b => b.id === id);
    if (partial)
      throw new Error(
        `backup ${id} in ${location} is incomplete (${partial.problem}); it cannot be restored`
      );
    throw new Error(`backup ${id} not found in ${location}`);
  }
  const newest = catalog.complete[0];
  if (!newest) throw new Error(`no complete backup in ${location}`);
  return newest;
}

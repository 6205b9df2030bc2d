import { errorMessage } from '../kit/errors.js';
import { archiveName, manifestName, newestFirst, parseBackupId } from './id.js';
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

/**
 * A manifest that cannot be trusted: unreadable, not JSON, invalid, or describing another archive (its id, object
 * key or size do not match the archive beside it). Reported by name and kept (prune never deletes it or its
 * archive: that is for a person to look at); the other backups are listed, pruned and restored as usual.
 */
export interface CorruptBackup {
  id: string;
  time: Date;
  /** The manifest's key or path. */
  manifestKey: string;
  problem: string;
}

export interface Catalog {
  /** Newest first. */
  complete: CompleteBackup[];
  incomplete: IncompleteBackup[];
  corrupt: CorruptBackup[];
}

/** Reads the folder: a backup is complete only when its manifest and its archive are both there and agree. */
export async function readCatalog(store: BackupStore): Promise<Catalog> {
  const objects = await store.list();
  const byName = new Map(objects.map(o => [o.name, o]));
  const ids = new Set<string>();
  for (const o of objects) {
    const m = /^(.+?)\.(dump\.pgp|json)$/.exec(o.name);
    if (m && parseBackupId(m[1]!)) ids.add(m[1]!);
  }
  const catalog: Catalog = { complete: [], incomplete: [], corrupt: [] };
  for (const id of ids) {
    const time = parseBackupId(id)!;
    const archive = byName.get(archiveName(id));
    const manifest = byName.get(manifestName(id));
    if (archive && manifest) {
      const manifestKey = store.keyOf(manifestName(id));
      try {
        const m = parseManifest(await store.getText(manifestName(id)), manifestKey);
        const mismatch = describesAnother(m, id, archive.size);
        if (mismatch) throw new Error(`manifest ${manifestKey} ${mismatch}`);
        catalog.complete.push({ id, time, manifest: m });
      } catch (error) {
        catalog.corrupt.push({ id, time, manifestKey, problem: errorMessage(error) });
      }
    } else if (archive || manifest) {
      const o = (archive ?? manifest)!;
      const problem = archive ? 'no manifest' : 'no archive';
      catalog.incomplete.push({ id, time, problem, size: o.size, lastModified: o.lastModified });
    }
  }
  catalog.complete.sort(newestFirst);
  catalog.incomplete.sort(newestFirst);
  catalog.corrupt.sort(newestFirst);
  return catalog;
}

/** Why a manifest does not describe the archive stored beside it, or undefined when it does. */
function describesAnother(m: Manifest, id: string, archiveSize: number): string | undefined {
  if (m.id !== id) return `names backup ${m.id}, not ${id}`;
  // objectKey is the key (S3) or path (file://) at write time: its last part is the archive's name.
  if (typeof m.objectKey === 'string' && !m.objectKey.endsWith(archiveName(id)))
    return `describes ${m.objectKey}, not ${archiveName(id)}`;
  if (m.sizeBytes !== archiveSize)
    return `gives ${m.sizeBytes} bytes, the archive beside it has ${archiveSize}`;
  return undefined;
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
    const corrupt = catalog.corrupt.find(b => b.id === id);
    if (corrupt) throw new Error(`backup ${id} in ${location} cannot be trusted: ${corrupt.problem}`);
    throw new Error(`backup ${id} not found in ${location}`);
  }
  const newest = catalog.complete[0];
  if (!newest) throw new Error(`no complete backup in ${location}`);
  return newest;
}

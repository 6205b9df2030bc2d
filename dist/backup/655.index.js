export const id = 655;
export const ids = [655,279];
export const modules = {

/***/ 8279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pickBackup: () => (/* binding */ pickBackup),
  readCatalog: () => (/* binding */ readCatalog)
});

// EXTERNAL MODULE: ./src/backup/id.ts
var backup_id = __webpack_require__(8613);
;// CONCATENATED MODULE: ./src/backup/manifest.ts

/** Parses and checks a manifest; a malformed one is reported with the object it came from. */
function parseManifest(text, where) {
    let m;
    try {
        m = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`manifest ${where} is not JSON: ${error.message}`);
    }
    const problems = [];
    if (m.version !== 1)
        problems.push(`version ${String(m.version)} (expected 1)`);
    if (typeof m.id !== 'string' || !(0,backup_id/* parseBackupId */.JN)(m.id))
        problems.push('id');
    if (typeof m.sizeBytes !== 'number' || m.sizeBytes < 0)
        problems.push('sizeBytes');
    if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256))
        problems.push('sha256');
    if (m.format !== 'pg_dump-custom')
        problems.push('format');
    if (!m.encryption || (m.encryption.method !== 'passphrase' && m.encryption.method !== 'public-key'))
        problems.push('encryption.method');
    if (problems.length)
        throw new Error(`manifest ${where} is invalid: ${problems.join(', ')}`);
    return { ...m, source: { host: m.source?.host ?? '', tables: m.source?.tables ?? [] } };
}

;// CONCATENATED MODULE: ./src/backup/catalog.ts


/** Reads the folder: a backup is complete only when its manifest and its archive are both there. */
async function readCatalog(store) {
    const objects = await store.list();
    const byName = new Map(objects.map(o => [o.name, o]));
    const ids = new Set();
    for (const o of objects) {
        const m = /^(.+?)\.(dump\.pgp|json)$/.exec(o.name);
        if (m && (0,backup_id/* parseBackupId */.JN)(m[1]))
            ids.add(m[1]);
    }
    const complete = [];
    const incomplete = [];
    for (const id of ids) {
        const time = (0,backup_id/* parseBackupId */.JN)(id);
        const archive = byName.get((0,backup_id/* archiveName */.uv)(id));
        const manifest = byName.get((0,backup_id/* manifestName */.vS)(id));
        if (archive && manifest) {
            complete.push({
                id,
                time,
                manifest: parseManifest(await store.getText((0,backup_id/* manifestName */.vS)(id)), store.keyOf((0,backup_id/* manifestName */.vS)(id)))
            });
        }
        else if (archive) {
            incomplete.push({
                id,
                time,
                problem: 'no manifest',
                size: archive.size,
                lastModified: archive.lastModified
            });
        }
        else if (manifest) {
            incomplete.push({
                id,
                time,
                problem: 'no archive',
                size: manifest.size,
                lastModified: manifest.lastModified
            });
        }
    }
    const newestFirst = (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    return { complete: complete.sort(newestFirst), incomplete: incomplete.sort(newestFirst) };
}
/** The chosen backup, or the newest complete one; one line when there is none. */
function pickBackup(catalog, id, location) {
    if (id) {
        const found = catalog.complete.find(b => b.id === id);
        if (found)
            return found;
        const partial = catalog.incomplete.find(b => b.id === id);
        if (partial)
            throw new Error(`backup ${id} in ${location} is incomplete (${partial.problem}); it cannot be restored`);
        throw new Error(`backup ${id} not found in ${location}`);
    }
    const newest = catalog.complete[0];
    if (!newest)
        throw new Error(`no complete backup in ${location}`);
    return newest;
}


/***/ }),

/***/ 6655:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  listTables: () => (/* binding */ listTables),
  pruneBackups: () => (/* binding */ pruneBackups),
  pruneTable: () => (/* binding */ pruneTable)
});

// UNUSED EXPORTS: formatAge

// EXTERNAL MODULE: ./src/kit/bytes.ts
var bytes = __webpack_require__(9239);
// EXTERNAL MODULE: ./src/kit/markdown.ts
var markdown = __webpack_require__(1007);
// EXTERNAL MODULE: ./src/backup/catalog.ts + 1 modules
var backup_catalog = __webpack_require__(8279);
// EXTERNAL MODULE: ./src/backup/id.ts
var id = __webpack_require__(8613);
;// CONCATENATED MODULE: ./src/backup/retention.ts
const dayOf = (d) => d.toISOString().slice(0, 10);
const monthOf = (d) => d.toISOString().slice(0, 7);
/** Decisions for every backup, newest first. Ties in time are broken by id so the result is deterministic. */
function planRetention(backups, policy) {
    if (!Number.isInteger(policy.keepDaily) || policy.keepDaily < 0)
        throw new Error('keepDaily must be a whole number >= 0');
    if (!Number.isInteger(policy.keepMonthly) || policy.keepMonthly < 0)
        throw new Error('keepMonthly must be a whole number >= 0');
    const sorted = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
    const seenDays = new Set();
    const seenMonths = new Set();
    return sorted.map((backup, index) => {
        const reasons = [];
        if (index === 0)
            reasons.push('newest');
        // Walking newest first, the first backup met in a bucket is that bucket's newest.
        const day = dayOf(backup.time);
        if (!seenDays.has(day)) {
            seenDays.add(day);
            if (seenDays.size <= policy.keepDaily)
                reasons.push(`daily ${day}`);
        }
        const month = monthOf(backup.time);
        if (!seenMonths.has(month)) {
            seenMonths.add(month);
            if (seenMonths.size <= policy.keepMonthly)
                reasons.push(`monthly ${month}`);
        }
        return { backup, keep: reasons.length > 0, reasons };
    });
}
/** Archives without a manifest: deleted only when older than `graceMs` (24 h), as younger ones may be in progress. */
function staleIncomplete(archives, now, graceMs = 24 * 3600_000) {
    return archives.filter(a => now.getTime() - a.time.getTime() > graceMs);
}

;// CONCATENATED MODULE: ./src/backup/prune.ts





/** `3d 4h`, `25m`: how old a backup is. */
function formatAge(ms) {
    const minutes = Math.floor(ms / 60_000);
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}
/** The keep/delete table, newest first, with the reason each backup is kept. */
function pruneTable(result, now) {
    const rows = result.decisions.map(d => [
        d.backup.id,
        formatAge(now.getTime() - d.backup.time.getTime()),
        (0,bytes/* formatBytes */.z)(d.backup.manifest.sizeBytes),
        d.keep ? 'keep' : result.dryRun ? 'would delete' : 'delete',
        d.keep ? d.reasons.join(', ') : 'not the newest of a kept day or month'
    ]);
    for (const s of result.stale)
        rows.push([
            s.id,
            formatAge(now.getTime() - s.time.getTime()),
            (0,bytes/* formatBytes */.z)(s.size),
            result.dryRun ? 'would delete' : 'delete',
            `incomplete (${s.problem}) for over 24 h`
        ]);
    return (0,markdown/* table */.tp)(['backup', 'age', 'size', 'decision', 'reason'], rows);
}
/**
 * Applies the retention rule to the folder. Deletes the manifest before the archive, so an interrupted
 * prune leaves an incomplete backup (ignored, cleaned up later), never something that looks complete.
 */
async function pruneBackups(store, policy, opts) {
    const now = opts.now ?? new Date();
    const catalog = await (0,backup_catalog.readCatalog)(store);
    const decisions = planRetention(catalog.complete, policy);
    const stale = staleIncomplete(catalog.incomplete, now);
    const result = {
        decisions,
        stale,
        deleted: [],
        kept: decisions.filter(d => d.keep).length,
        dryRun: opts.dryRun
    };
    for (const d of decisions.filter(x => !x.keep)) {
        result.deleted.push(d.backup.id);
        if (opts.dryRun)
            continue;
        await store.remove((0,id/* manifestName */.vS)(d.backup.id));
        await store.remove((0,id/* archiveName */.uv)(d.backup.id));
        opts.logger.info(`prune: deleted ${d.backup.id}`);
    }
    for (const s of stale) {
        result.deleted.push(s.id);
        if (opts.dryRun)
            continue;
        await store.remove((0,id/* manifestName */.vS)(s.id));
        await store.remove((0,id/* archiveName */.uv)(s.id));
        opts.logger.info(`prune: deleted incomplete ${s.id} (${s.problem})`);
    }
    return result;
}
/** `mode: list`: complete backups (id, size, age) and the incomplete ones. */
function listTables(catalog, now) {
    const parts = [
        (0,markdown/* table */.tp)(['backup', 'size', 'age', 'encryption', 'database'], catalog.complete.map(b => [
            b.id,
            (0,bytes/* formatBytes */.z)(b.manifest.sizeBytes),
            formatAge(now.getTime() - b.time.getTime()),
            b.manifest.encryption.method,
            b.manifest.database
        ]))
    ];
    if (catalog.incomplete.length)
        parts.push((0,markdown/* table */.tp)(['incomplete', 'problem', 'size', 'age'], catalog.incomplete.map(b => [
            b.id,
            b.problem,
            (0,bytes/* formatBytes */.z)(b.size),
            formatAge(now.getTime() - b.time.getTime())
        ])));
    return parts.join('\n\n');
}


/***/ })

};

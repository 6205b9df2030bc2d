export const id = 279;
export const ids = [279];
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


/***/ })

};

export const id = 406;
export const ids = [406];
export const modules = {

/***/ 4406:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildSummaryMarkdown: () => (/* binding */ buildSummaryMarkdown)
});

;// CONCATENATED MODULE: ./src/kit/bytes.ts
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
/** `1.5 MiB`, `512 B`: binary units, one decimal. */
function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
/** `12.3 MB/s` (decimal megabytes, as transfer rates are usually quoted). */
function formatRate(bytes, ms) {
    if (ms <= 0)
        return '- MB/s';
    return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}

// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
;// CONCATENATED MODULE: ./src/kit/markdown.ts
/** Small pure Markdown builders for job summaries (GitHub-flavoured). */
const escapeCell = (s) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
function table(header, rows) {
    const line = (cells) => `| ${cells.map(c => escapeCell(String(c))).join(' | ')} |`;
    return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** A two-column key/value table. */
function facts(pairs) {
    return table(['', ''], pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [`**${k}**`, String(v)]));
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
function codeBlock(body, lang = '') {
    const fence = body.includes('```') ? '````' : '```';
    return `${fence}${lang}\n${body}\n${fence}`;
}
function mermaid(body) {
    return codeBlock(body, 'mermaid');
}
/** A Mermaid gantt chart of named spans (times in ms since epoch) — the deploy/probe timelines. */
function mermaidTimeline(title, spans) {
    const lines = ['gantt', `  title ${title}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
    let section;
    for (const s of spans) {
        if (s.section && s.section !== section) {
            section = s.section;
            lines.push(`  section ${section}`);
        }
        const name = s.name.replace(/[:#;]/g, ' ');
        const end = Math.max(s.end, s.start + 1);
        lines.push(`  ${name} :${s.status ? `${s.status}, ` : ''}${Math.round(s.start)}, ${Math.round(end)}`);
    }
    return mermaid(lines.join('\n'));
}

;// CONCATENATED MODULE: ./src/image/summary.ts



/** The job summary: what was pushed, where, how big, how long, and whether the layer cache helped. */
function buildSummaryMarkdown(r) {
    const cache = r.skipped
        ? 'not built: sha tag already in the registry'
        : r.steps === 0
            ? 'no cacheable steps'
            : `${r.cachedSteps > 0 ? 'hit' : 'miss'} (${r.cachedSteps} of ${r.steps} steps reused)`;
    const parts = [
        '## Image',
        facts([
            ['image', r.image],
            ['digest', r.digest ? `\`${r.digest}\`` : 'not pushed'],
            ['ref', r.ref ? `\`${r.ref}\`` : undefined],
            ['tags', r.tags.map(t => `\`${t}\``).join(' ')],
            ['platform', r.platform],
            ['size (compressed)', r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : undefined],
            ['builder', r.builder === 'none' ? 'none (reused)' : r.builder],
            ['build time', r.skipped ? '0s (reused)' : (0,duration/* formatDuration */.a)(r.buildMs)],
            ['layer cache', cache]
        ]),
        details('Labels', codeBlock(Object.entries(r.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n')))
    ];
    return parts.join('\n\n');
}


/***/ })

};

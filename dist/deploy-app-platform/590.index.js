export const id = 590;
export const ids = [590];
export const modules = {

/***/ 4590:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  renderDeploySummary: () => (/* binding */ renderDeploySummary),
  renderErrorSummary: () => (/* binding */ renderErrorSummary)
});

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

// EXTERNAL MODULE: ./src/digitalocean/spec.ts
var spec = __webpack_require__(7727);
;// CONCATENATED MODULE: ./src/digitalocean/summary.ts



/** The job summary of a deploy or rollback: facts, phase durations and a Mermaid timeline. */
function renderDeploySummary(o) {
    const title = o.mode === 'rollback' ? 'Rollback' : o.mode === 'create' ? 'App created and deployed' : 'Deployment';
    const icon = o.success ? '✅' : '❌';
    const parts = [`## ${icon} ${title}: ${o.appName ?? o.outputs['app-id'] ?? ''}`];
    if (o.failure)
        parts.push(`> ${o.failure}`);
    parts.push(facts([
        ['App', o.outputs['app-id']],
        ['Deployment', o.outputs['deployment-id']],
        [
            o.mode === 'rollback' ? 'Rolled back from' : 'Previous deployment',
            o.outputs['previous-deployment-id']
        ],
        ['Rollback target', o.rollback?.targetDeploymentId],
        ['Committed', o.rollback ? String(o.rollback.committed) : undefined],
        ['Phase', o.outputs.phase],
        ['Component', o.edit ? `${o.edit.kind}/${o.edit.component}` : undefined],
        ['Image before', o.edit ? (0,spec/* describeImage */.hu)(o.edit.before) : undefined],
        ['Image now', o.edit ? (0,spec/* describeImage */.hu)(o.edit.after) : undefined],
        ['Live URL', o.outputs['live-url']],
        ['Waited', o.wait ? `${(0,duration/* formatDuration */.a)(o.wait.elapsedMs)} (${o.wait.polls} polls)` : undefined],
        ['Total', (0,duration/* formatDuration */.a)(o.durationMs)],
        [
            'Full logs',
            o.logFile ? `\`${o.logFile}\` (upload it with actions/upload-artifact to keep it)` : undefined
        ]
    ]));
    const phases = o.wait?.phases ?? [];
    if (phases.length) {
        parts.push(table(['phase', 'duration'], phases.map(p => [p.phase, (0,duration/* formatDuration */.a)(p.end - p.start)])));
        parts.push(mermaidTimeline(`deployment ${o.outputs['deployment-id'] ?? ''}`, phases.map(p => ({
            section: 'phases',
            name: p.phase,
            start: p.start,
            end: p.end,
            status: p.phase === 'ERROR' || p.phase === 'CANCELED' ? 'crit' : 'done'
        }))));
    }
    for (const note of o.notes)
        parts.push(`- ${note}`);
    return parts.join('\n\n');
}
/** The summary of a step that failed before any deployment outcome (refused call, pinned app, bad spec). */
function renderErrorSummary(message) {
    return `## ❌ Deployment not started\n\n> ${message.replace(/\n/g, ' ')}`;
}


/***/ })

};

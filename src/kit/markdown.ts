/** Small pure Markdown builders for job summaries (GitHub-flavoured). */

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(c => escapeCell(String(c))).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A two-column key/value table. */
export function facts(pairs: [string, string | number | undefined][]): string {
  return table(
    ['', ''],
    pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [`**${k}**`, String(v)])
  );
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function codeBlock(body: string, lang = ''): string {
  const fence = body.includes('```') ? '````' : '```';
  return `${fence}${lang}\n${body}\n${fence}`;
}

export function mermaid(body: string): string {
  return codeBlock(body, 'mermaid');
}

/** A Mermaid gantt chart of named spans (times in ms since epoch) — the deploy/probe timelines. */
export function mermaidTimeline(
  title: string,
  spans: { section?: string; name: string; start: number; end: number; status?: 'done' | 'crit' | 'active' }[]
): string {
  const lines = ['gantt', `  title ${title}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
  let section: string | undefined;
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

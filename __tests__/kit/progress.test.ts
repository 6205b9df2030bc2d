import { describe, expect, it } from '@jest/globals';
import { ProgressLogger } from '../../src/kit/progress.js';
import { formatBytes, formatRate } from '../../src/kit/bytes.js';
import { errorMessage, RemoteError } from '../../src/kit/errors.js';
import { facts, mermaidTimeline, table } from '../../src/kit/markdown.js';

describe('ProgressLogger', () => {
  it('prints at most once per interval, with bytes, rate and elapsed time', () => {
    let now = 0;
    const lines: string[] = [];
    const p = new ProgressLogger({
      label: 'backup',
      intervalMs: 5000,
      log: l => lines.push(l),
      now: () => now
    });
    for (let i = 1; i <= 100; i++) {
      now = i * 100; // 10 s in 100 updates
      p.set('dumped', i * 1_000_000);
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('backup: 47.7 MiB dumped, 10.0 MB/s, 5.0s elapsed');
    p.print();
    expect(lines[2]).toBe('backup: 95.4 MiB dumped, 10.0 MB/s, 10.0s elapsed');
  });
});

describe('formatting', () => {
  it('bytes and rates', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatRate(50_000_000, 2000)).toBe('25.0 MB/s');
  });

  it('remote errors carry the call, the server message and the request id', () => {
    const e = new RemoteError({
      call: 'PUT /v2/apps/123',
      status: 422,
      code: 'unprocessable_entity',
      serverMessage: 'spec.services[0].image: invalid',
      requestId: 'req-9'
    });
    expect(errorMessage(e)).toBe(
      'PUT /v2/apps/123 failed: HTTP 422 unprocessable_entity - spec.services[0].image: invalid (request id req-9)'
    );
  });

  it('markdown tables escape pipes and a timeline is a gantt chart', () => {
    expect(table(['a', 'b'], [['x|y', 1]])).toBe('| a | b |\n| --- | --- |\n| x\\|y | 1 |');
    expect(
      facts([
        ['Size', '1 MiB'],
        ['Skipped', undefined]
      ])
    ).not.toContain('Skipped');
    const chart = mermaidTimeline('deploy', [
      { section: 'phases', name: 'BUILDING', start: 1000, end: 5000 }
    ]);
    expect(chart).toContain('gantt');
    expect(chart).toContain('BUILDING :1000, 5000');
  });
});

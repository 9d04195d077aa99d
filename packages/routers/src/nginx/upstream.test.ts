import { describe, expect, it } from 'vitest';
import { parseUpstream, renderUpstream, upstreamSplit } from './upstream.js';

const pools = { blue: ['10.0.0.11:8080', '10.0.0.12:8080'], green: ['10.0.0.21:8080'] };

describe('nginx upstream file', () => {
  it('renders weights per server and marks a pool at 0 down, keeping its lines', () => {
    const text = renderUpstream({ upstream: 'app', pools, split: { blue: 0, green: 100 }, environment: 'production' });
    expect(text).toContain('upstream app {');
    expect(text).toContain('    server 10.0.0.11:8080 weight=1 down;');
    expect(text).toContain('    server 10.0.0.12:8080 weight=1 down;');
    expect(text).toContain('    server 10.0.0.21:8080 weight=1;');
    expect(text).not.toMatch(/weight=0/);
  });

  it('adds server-options to every line', () => {
    const text = renderUpstream({ upstream: 'app', pools, split: { blue: 100, green: 0 }, serverOptions: 'max_fails=0' });
    expect(text).toContain('server 10.0.0.11:8080 weight=1 max_fails=0;');
    expect(text).toContain('server 10.0.0.21:8080 weight=1 max_fails=0 down;');
  });

  it('reads back what it wrote, for every split, with or without server-options', () => {
    for (const split of [
      { blue: 100, green: 0 },
      { blue: 0, green: 100 },
      { blue: 75, green: 25 },
      { blue: 1, green: 99 },
    ]) {
      for (const serverOptions of [undefined, 'max_fails=0 fail_timeout=5s']) {
        const text = renderUpstream({ upstream: 'app', pools, split, environment: 'production', ...(serverOptions ? { serverOptions } : {}) });
        expect(upstreamSplit(parseUpstream(text, 'app'), pools)).toEqual(split);
      }
    }
  });

  it('reads a hand-written file of the same shape: comments, the default weight, blank lines', () => {
    const text = `# written by hand before the first switch\n\nupstream app {\n  server 10.0.0.11:8080;\n  # green\n  server 10.0.0.21:8080 weight=3 max_fails=0;\n}\n`;
    expect(parseUpstream(text, 'app')).toEqual([
      { address: '10.0.0.11:8080', weight: 1, down: false },
      { address: '10.0.0.21:8080', weight: 3, down: false },
    ]);
    expect(upstreamSplit(parseUpstream(text, 'app'), pools)).toEqual({ blue: 25, green: 75 });
  });

  it('refuses anything else in the file, naming the line: a directive, a server behind a ";", a "#" inside a line', () => {
    const block = (lines: string) => `upstream app {\n    server 10.0.0.11:8080 weight=1;\n${lines}\n}\n`;
    const refused: [string, string][] = [
      // The review's payload: nginx reads hash "#" as a directive, then the server after it.
      [block('    server 10.0.0.21:8080 weight=1 max_fails=0; hash "#"; server 127.0.0.66:80 weight=100;'), 'line 3: not a server line'],
      [block('    hash $remote_addr;'), 'line 3: not a server line'],
      [block('    server 10.0.0.21:8080 weight=1 backup;'), 'line 3: not a server line'],
      [block('    server 10.0.0.21:8080 weight=1; # trailing'), 'line 3: not a server line'],
      [block('    keepalive 16;'), 'line 3: not a server line'],
      [block('    server 10.0.0.21:8080 weight=1 weight=100;'), 'line 3: a parameter given twice'],
      [block('    server 10.0.0.11:8080 weight=1;'), 'line 3: server 10.0.0.11:8080 is listed twice'],
      [block('    server 10.0.0.21:8080 weight=0;'), 'line 3: weights are whole numbers from 1'],
      [block('    server 10.0.0.21:8080\n      weight=1;'), 'line 3: not a server line'],
      [`upstream other { server 1.1.1.1:1; }\n${block('')}`, 'line 1: expected "upstream app {"'],
      [`upstream other {\n}\n`, 'line 1: the block is "upstream other", expected "upstream app"'],
      [`${block('')}upstream app {\n}\n`, 'line 5: nothing but comments may follow the upstream block'],
      [`${block('')}include /etc/nginx/evil.conf;\n`, 'line 5: nothing but comments may follow'],
      ['upstream app {\n    server 10.0.0.11:8080;\n', 'the "upstream app" block is not closed'],
      ['# nothing\n', 'no "upstream app { ... }" block'],
    ];
    for (const [text, why] of refused) expect(() => parseUpstream(text, 'app'), text).toThrow(why);
  });

  it('refuses a live server that is in no pool, and passes over a down one (an address removed from a pool)', () => {
    expect(() => upstreamSplit([{ address: '9.9.9.9:9', weight: 1, down: false }], pools)).toThrow('server 9.9.9.9:9 takes traffic but is in no pool');
    expect(
      upstreamSplit(
        [
          { address: '9.9.9.9:9', weight: 1, down: true },
          { address: '10.0.0.21:8080', weight: 1, down: false },
        ],
        pools,
      ),
    ).toEqual({ blue: 0, green: 100 });
  });
});

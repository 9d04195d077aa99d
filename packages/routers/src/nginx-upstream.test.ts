import { describe, expect, it } from 'vitest';
import { parseUpstream, renderUpstream, upstreamSplit } from './nginx-upstream.js';

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

  it('reads back what it wrote, for every split', () => {
    for (const split of [{ blue: 100, green: 0 }, { blue: 0, green: 100 }, { blue: 75, green: 25 }, { blue: 1, green: 99 }]) {
      const text = renderUpstream({ upstream: 'app', pools, split });
      expect(upstreamSplit(parseUpstream(text, 'app'), pools)).toEqual(split);
    }
  });

  it('parses a hand-written file among other blocks, with comments and defaults', () => {
    const text = `upstream other { server 1.1.1.1:1; }\n# upstream app { server 9.9.9.9:9; }\nupstream app {\n  server 10.0.0.11:8080;  # weight 1\n  server 10.0.0.21:8080 weight=3 max_fails=0;\n  keepalive 16;\n}\n`;
    expect(parseUpstream(text, 'app')).toEqual([
      { address: '10.0.0.11:8080', weight: 1, down: false },
      { address: '10.0.0.21:8080', weight: 3, down: false },
    ]);
    expect(upstreamSplit(parseUpstream(text, 'app'), pools)).toEqual({ blue: 25, green: 75 });
  });

  it('refuses a file without the block, and a live server that is in no pool', () => {
    expect(() => parseUpstream('upstream other {}', 'app')).toThrow('no "upstream app { ... }" block');
    expect(() => upstreamSplit([{ address: '9.9.9.9:9', weight: 1, down: false }], pools)).toThrow('server 9.9.9.9:9 takes traffic but is in no pool');
  });
});

import { describe, expect, it } from 'vitest';
import { markdownTable, mermaidXyChart } from './summary.js';

describe('markdown tables', () => {
  it('aligns columns and escapes cells', () => {
    expect(markdownTable(['check', 'observed'], [['web', 'a | b\nc'], ['rate']], ['left', 'right'])).toBe(
      '| check | observed |\n| :-- | --: |\n| web | a \\| b<br>c |\n| rate |  |\n',
    );
  });
});

describe('Mermaid xy charts', () => {
  it('draws one line per series with a y range from zero, and names them', () => {
    const chart = mermaidXyChart({
      title: 'latency "p95"',
      x: ['0s', '1s', '2s'],
      yLabel: 'ms',
      series: [
        { name: 'green', values: [10, undefined, 30] },
        { name: 'blue', values: [5, 6, 7] },
      ],
    });
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        `  title "latency 'p95'"`,
        '  x-axis ["0s", "1s", "2s"]',
        '  y-axis "ms" 0 --> 33',
        '  line [10, 10, 30]',
        '  line [5, 6, 7]',
        '```',
        '',
        '1. green · 2. blue (lines in this order)',
        '',
      ].join('\n'),
    );
  });

  it('keeps at most maxPoints points, and draws nothing without data', () => {
    const chart = mermaidXyChart(
      { title: 't', x: Array.from({ length: 100 }, (_, i) => i), series: [{ name: 'a', values: Array.from({ length: 100 }, (_, i) => i) }] },
      10,
    );
    expect(chart).toContain('x-axis ["0", "11", "22", "33", "44", "55", "66", "77", "88", "99"]');
    expect(mermaidXyChart({ title: 't', x: [1], series: [{ name: 'a', values: [undefined] }] })).toBe('');
  });
});

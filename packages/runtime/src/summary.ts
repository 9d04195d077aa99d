/** Job summary building blocks shared by actions: markdown tables and Mermaid xy charts. */

export type Align = 'left' | 'right' | 'center';

/** A cell's text: pipes escaped and new lines turned into <br>, so one value never breaks the table. */
export function tableCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured markdown table. */
export function markdownTable(headers: string[], rows: unknown[][], align: Align[] = []): string {
  const rule = headers.map((_, index) => ({ left: ':--', right: '--:', center: ':-:' })[align[index] ?? 'left']);
  const line = (cells: unknown[]) => `| ${cells.map(tableCell).join(' | ')} |`;
  return [line(headers), `| ${rule.join(' | ')} |`, ...rows.map((row) => line(headers.map((_, index) => row[index])))].join('\n') + '\n';
}

export interface ChartSeries {
  name: string;
  values: (number | undefined)[];
  kind?: 'line' | 'bar';
}

export interface XyChart {
  title: string;
  /** Labels of the x axis, one per value. */
  x: (string | number)[];
  xLabel?: string;
  yLabel?: string;
  series: ChartSeries[];
}

const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;

/**
 * A Mermaid `xychart-beta` block, as GitHub renders it in job summaries. xychart has no legend, so
 * the series' names follow the chart as text. Gaps (undefined) repeat the previous value: the chart
 * cannot draw a missing point. At most `maxPoints` points are drawn (evenly picked).
 */
export function mermaidXyChart(chart: XyChart, maxPoints = 60): string {
  const picked = pickIndexes(chart.x.length, maxPoints);
  const series = chart.series.filter((s) => s.values.some((value) => value !== undefined && Number.isFinite(value)));
  if (picked.length === 0 || series.length === 0) return '';
  const numbers = series.map((s) => fillGaps(s.values).filter((_, index) => picked.includes(index)));
  const all = numbers.flat();
  const low = Math.min(0, ...all);
  const high = Math.max(...all);
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title ${quote(chart.title)}`,
    `  x-axis ${chart.xLabel ? `${quote(chart.xLabel)} ` : ''}[${picked.map((index) => quote(String(chart.x[index]))).join(', ')}]`,
    `  y-axis ${quote(chart.yLabel ?? '')} ${round(low)} --> ${round(high === low ? low + 1 : high * 1.1)}`,
    ...series.map((s, index) => `  ${s.kind ?? 'line'} [${numbers[index]!.map(round).join(', ')}]`),
    '```',
  ];
  const legend = series.length > 1 ? `\n${series.map((s, index) => `${index + 1}. ${s.name}`).join(' · ')} (lines in this order)\n` : `\n${series[0]!.name}\n`;
  return lines.join('\n') + '\n' + legend;
}

function pickIndexes(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, index) => index);
  const step = (length - 1) / (max - 1);
  return [...new Set(Array.from({ length: max }, (_, index) => Math.round(index * step)))];
}

function fillGaps(values: (number | undefined)[]): number[] {
  let last = values.find((value) => value !== undefined && Number.isFinite(value)) ?? 0;
  return values.map((value) => {
    if (value !== undefined && Number.isFinite(value)) last = value;
    return last;
  });
}

function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : 0;
}

/** The job summary of a switch: before and after, per pool. Pure. */
import type { Split } from '@cutover/config';

export interface SwitchReport {
  environment: string;
  router: string;
  target: string;
  previous?: string;
  version?: string;
  before: Split;
  after?: Split;
  changed: boolean;
  smoke: string;
  deployment: string;
  /** The environment's lock: who held it while this run waited; whether this run held it. */
  lock?: string;
  /** The freeze window this switch went through with ignore-freeze. */
  freezeIgnored?: string;
  error?: string;
}

export function summaryMarkdown(report: SwitchReport): string {
  const title = report.error
    ? `### ❌ blue-green-switch: ${report.environment} stays as it was`
    : report.changed
      ? `### ✅ blue-green-switch: ${report.environment} now on ${report.target}`
      : `### ✅ blue-green-switch: ${report.environment} was already on ${report.target}`;
  const pools = [...new Set([...Object.keys(report.before), ...Object.keys(report.after ?? {})])];
  const rows = pools.map((pool) => {
    const before = report.before[pool] ?? 0;
    const after = report.after ? (report.after[pool] ?? 0) : before;
    const role = pool === report.target ? ' (target)' : pool === report.previous ? ' (previous)' : '';
    return `| ${pool}${role} | ${before}% | ${after}% |`;
  });
  const lines = [
    title,
    '',
    ...(report.error ? ['```', report.error, '```', ''] : []),
    '| pool | before | after |',
    '|---|---:|---:|',
    ...rows,
    '',
    `- Router: ${report.router}`,
    ...(report.version ? [`- Version: \`${report.version}\``] : []),
    `- Smoke check: ${report.smoke}`,
    `- Deployment: ${report.deployment}`,
    ...(report.lock ? [`- Lock: ${report.lock}`] : []),
    ...(report.freezeIgnored ? [`- Freeze: ${report.freezeIgnored}: ignored (ignore-freeze: true), recorded on the deployment`] : []),
    ...(report.previous && report.previous !== report.target && !report.error
      ? [`- ${report.previous} keeps running: switching back is one run with \`to: ${report.previous}\`.`]
      : []),
    '',
  ];
  return lines.join('\n');
}

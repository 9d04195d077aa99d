/** What reviewers read: the check run's output and the job summary, in Markdown. Pure. */
import { markdownTable } from '@cutover/runtime';
import { truncate } from './annotations.js';
import { displayName, failures, slowest } from './report.js';
import type { TestCase, Totals } from './types.js';
import type { GateVerdict } from './verdict.js';

/** GitHub refuses a check-run summary or text over 65,535 characters. */
const MAX_OUTPUT = 65_000;
const MAX_DETAIL_LINES = 30;

export function formatSeconds(seconds: number): string {
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds >= 10) return `${seconds.toFixed(1)} s`;
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  return `${Math.round(seconds * 1000)} ms`;
}

export function title(verdict: GateVerdict, totals: Totals): string {
  const counts = totals.total === 0 ? 'no tests ran' : `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
  return verdict.conclusion === 'success' ? counts : `${verdict.reasons[0] ?? 'failed'} (${counts})`;
}

export interface RenderInput {
  verdict: GateVerdict;
  totals: Totals;
  cases: readonly TestCase[];
  /** The repository path of a failed test, for `path:line`. */
  pathOf: (testCase: TestCase) => string | undefined;
  /** Lines such as "records skipped" or the enforcement warning. */
  extra?: readonly string[];
}

function verdictSection(input: RenderInput): string {
  const { verdict } = input;
  const lines = [verdict.conclusion === 'success' ? '**✅ The gate is green.**' : '**❌ The gate is red.**', ''];
  for (const reason of verdict.reasons) lines.push(`- ❌ ${reason}`);
  for (const note of verdict.notes) lines.push(`- ℹ️ ${note}`);
  for (const line of input.extra ?? []) lines.push(`- ⚠️ ${line}`);
  return lines.join('\n').trimEnd();
}

function totalsSection(totals: Totals): string {
  return markdownTable(
    ['Total', 'Passed', 'Failed', 'Skipped', 'Time'],
    [[String(totals.total), String(totals.passed), String(totals.failed), String(totals.skipped), formatSeconds(totals.time)]],
    ['right', 'right', 'right', 'right', 'right'],
  ).trimEnd();
}

function place(testCase: TestCase, pathOf: RenderInput['pathOf']): string {
  const path = pathOf(testCase) ?? testCase.location?.path;
  if (!path) return '';
  return ` — \`${path}${testCase.location?.line ? `:${testCase.location.line}` : ''}\``;
}

function failureSection(failed: readonly TestCase[], pathOf: RenderInput['pathOf'], budget: number): string {
  if (failed.length === 0) return '';
  const parts = [`### Failures (${failed.length})`];
  let used = parts[0]!.length;
  for (const [index, testCase] of failed.entries()) {
    const head = `- **${displayName(testCase).replace(/\*/g, '\\*')}**${place(testCase, pathOf)}${testCase.status === 'error' ? ' (error)' : ''}`;
    const body = (testCase.details ?? testCase.message ?? '').split('\n').slice(0, MAX_DETAIL_LINES).join('\n').replace(/```/g, "'''");
    const entry = body ? `${head}\n\n  \`\`\`\n${body.replace(/^/gm, '  ')}\n  \`\`\`` : head;
    // Room for the entry, its new line and the closing "and N more" line.
    if (used + entry.length + 1 + 100 > budget) {
      parts.push(`- … and ${failed.length - index} more failures (see the annotations and the job log)`);
      break;
    }
    parts.push(entry);
    used += entry.length + 1;
  }
  return parts.join('\n');
}

function slowestSection(cases: readonly TestCase[]): string {
  const slow = slowest(cases);
  if (slow.length === 0) return '';
  return `### Slowest tests\n\n${markdownTable(
    ['Test', 'Time'],
    slow.map((c) => [displayName(c), formatSeconds(c.time)]),
    ['left', 'right'],
  ).trimEnd()}`;
}

/** The check run's `output.summary`: verdict, totals, failures, slowest, under GitHub's limit. */
export function renderSummary(input: RenderInput): string {
  const head = [verdictSection(input), totalsSection(input.totals)].join('\n\n');
  const slow = slowestSection(input.cases);
  const budget = MAX_OUTPUT - head.length - slow.length - 4;
  const sections = [head, failureSection(failures(input.cases), input.pathOf, budget), slow].filter(Boolean);
  return truncate(sections.join('\n\n'), MAX_OUTPUT);
}

/** What migration-check tells people: the JSON report, the job summary, annotations. Pure. */
import type { Annotation } from '@cutover/github';
import { markdownTable } from '@cutover/runtime';
import type { BaseRef, MigrationChanges } from './git.js';
import type { Proof } from './proof.js';
import { describeFailure } from './proof.js';
import { RULES, shorten, type Finding } from './rules.js';
import type { Verdict } from './verdict.js';

export interface MigrationReport {
  verdict: Verdict;
  failOn: 'breaking' | 'risky';
  base: BaseRef;
  migrations: MigrationChanges;
  queries: { files: string[]; statements: number };
  findings: Finding[];
  proof: Proof;
  durationMs: number;
}

const ICON: Record<Verdict, string> = { compatible: '✅', risky: '⚠️', breaking: '❌' };

/** The check run's title: the verdict and what decided it. */
export function reportTitle(report: MigrationReport): string {
  const active = report.findings.filter((finding) => !finding.ignored);
  const count = (severity: string) => active.filter((finding) => finding.severity === severity).length;
  const parts: string[] = [];
  if (count('breaking')) parts.push(`${count('breaking')} breaking finding${count('breaking') === 1 ? '' : 's'}`);
  if (count('risky')) parts.push(`${count('risky')} risky finding${count('risky') === 1 ? '' : 's'}`);
  const failedMigration = report.proof.migrations.find((migration) => migration.status === 'failed');
  if (failedMigration) parts.push(`${failedMigration.file} fails to apply`);
  const failing = report.proof.failures.length;
  if (failing) parts.push(`${failing} live statement${failing === 1 ? ' fails' : 's fail'}`);
  if (parts.length === 0) {
    parts.push(
      `${report.migrations.added.length} new migration${report.migrations.added.length === 1 ? '' : 's'}, ${report.queries.statements} live statements pass`,
    );
  }
  return `${report.verdict}: ${parts.join(', ')}`;
}

/** The job summary (and check run summary) in markdown. */
export function renderReport(report: MigrationReport): string {
  const { proof } = report;
  const lines: string[] = [
    `**${ICON[report.verdict]} ${report.verdict}**: ${reportTitle(report).replace(/^\w+: /, '')}.`,
    '',
    `Live release \`${report.base.ref}\` (${report.base.commit.slice(0, 7)}): ${report.migrations.base.length} migrations. ` +
      `New: ${report.migrations.added.length}. Live statements: ${report.queries.statements}` +
      (report.queries.files.length
        ? ` from ${report.queries.files.map((file) => `\`${file}\``).join(', ')}`
        : ' (no `queries` given: drops and renames count as breaking)') +
      `. Proven on ${proof.engine} in ${(proof.durationMs / 1000).toFixed(1)} s.`,
    '',
  ];
  const active = report.findings.filter((finding) => !finding.ignored);
  if (active.length > 0) {
    lines.push(
      '### Findings',
      '',
      markdownTable(
        ['where', 'rule', 'severity', 'what', 'instead'],
        active.map((finding) => [`${finding.file}:${finding.line}`, `\`${finding.rule}\``, finding.severity, finding.message, finding.instead]),
      ),
    );
  }
  lines.push(
    `### Proof on ${proof.engine}`,
    '',
    proof.migrations.length === 0
      ? 'No new migration.\n'
      : markdownTable(
          ['migration', 'applied', 'live statements failing after it'],
          proof.migrations.map((migration) => [
            migration.file,
            migration.status === 'failed' ? `❌ failed at line ${migration.line}: ${migration.error}` : migration.status === 'applied' ? '✅' : 'not run',
            proof.failures.filter((failure) => failure.migration === migration.file).length || (migration.status === 'applied' ? 0 : ''),
          ]),
        ),
  );
  if (proof.failures.length > 0) {
    lines.push('Failing statements of the live version:', '', ...proof.failures.map((failure) => `- ${describeFailure(failure)}`), '');
  }
  const ignored = report.findings.filter((finding) => finding.ignored);
  if (ignored.length > 0) {
    lines.push(
      'Ignored by a `-- migration-check: ignore` comment:',
      '',
      ...ignored.map((finding) => `- ${finding.file}:${finding.line} \`${finding.rule}\`: ${finding.message}`),
      '',
    );
  }
  if (report.migrations.removed.length > 0) {
    lines.push(...report.migrations.removed.map((file) => `- ${file} was removed since \`${report.base.ref}\` (the live database keeps what it did).`), '');
  }
  return lines.join('\n');
}

/** Annotations at file:line: the findings, the migration that fails, and each failing live statement. */
export function annotationsOf(report: MigrationReport): Annotation[] {
  const annotations: Annotation[] = report.findings.map((finding) => ({
    path: finding.file,
    start_line: finding.line,
    end_line: finding.line,
    annotation_level: finding.ignored ? 'notice' : finding.severity === 'breaking' ? 'failure' : 'warning',
    title: `${finding.rule}${finding.ignored ? ' (ignored)' : ''}: ${RULES[finding.rule].title}`,
    message: `${finding.message}.\n${finding.reason}\nInstead: ${finding.instead}`,
  }));
  for (const migration of report.proof.migrations) {
    if (migration.status !== 'failed') continue;
    annotations.push({
      path: migration.file,
      start_line: migration.line ?? 1,
      end_line: migration.line ?? 1,
      annotation_level: 'failure',
      title: `fails on ${report.proof.engine}`,
      message: migration.error ?? 'failed',
    });
  }
  for (const failure of report.proof.failures) {
    annotations.push({
      path: failure.query.file,
      start_line: failure.query.line,
      end_line: failure.query.line,
      annotation_level: 'failure',
      title: `the live version's statement fails after ${failure.migration}`,
      message: `${shorten(failure.query.text)}\n${failure.error}`,
    });
  }
  return annotations;
}

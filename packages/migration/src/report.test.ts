import { describe, expect, it } from 'vitest';
import { annotationsOf, renderReport, reportTitle, type MigrationReport } from './report.js';
import { fileFinding, RULES, type Finding } from './rules.js';

const dropName: Finding = {
  rule: 'drop-column',
  severity: 'breaking',
  file: 'db/3.sql',
  line: 2,
  message: 'drops column users.name: the live version reads it (q.sql:1)',
  reason: RULES['drop-column'].reason,
  instead: RULES['drop-column'].instead,
  statement: 'ALTER TABLE users DROP COLUMN name',
  ignored: false,
};

function report(over: Partial<MigrationReport> = {}): MigrationReport {
  return {
    verdict: 'breaking',
    failOn: 'breaking',
    base: { ref: 'v1.0.0', commit: 'abcdef0123456789' },
    migrations: { base: ['db/1.sql', 'db/2.sql'], added: ['db/3.sql'], edited: [], removed: [] },
    queries: { files: ['q.sql'], statements: 2 },
    findings: [dropName, { ...fileFinding('edited-migration', 'db/2.sql', 1, 'db/2.sql differs from the live release v1.0.0'), ignored: true }],
    proof: {
      engine: 'PGlite 0.5.17 (PostgreSQL 18.7)',
      migrations: [{ file: 'db/3.sql', status: 'applied' }],
      failures: [
        {
          query: { file: 'q.sql', line: 1, text: 'SELECT name FROM users', prepareOnly: false },
          migration: 'db/3.sql',
          error: 'column "name" does not exist (SQLSTATE 42703)',
        },
      ],
      queries: 2,
      durationMs: 1500,
    },
    durationMs: 4000,
    ...over,
  };
}

describe('reportTitle', () => {
  it('names what decided the verdict', () => {
    expect(reportTitle(report())).toBe('breaking: 1 breaking finding, 1 live statement fails');
    const failed = report({
      proof: { ...report().proof, migrations: [{ file: 'db/3.sql', status: 'failed', line: 2, error: 'x' }], failures: [] },
      findings: [],
    });
    expect(reportTitle(failed)).toBe('breaking: db/3.sql fails to apply');
    expect(reportTitle(report({ verdict: 'compatible', findings: [], proof: { ...report().proof, failures: [] } }))).toBe(
      'compatible: 1 new migration, 2 live statements pass',
    );
  });
});

describe('renderReport', () => {
  it('has the findings, the proof per migration, the failing statements and the ignored findings', () => {
    const text = renderReport(report());
    expect(text).toContain('**❌ breaking**');
    expect(text).toContain(
      'Live release `v1.0.0` (abcdef0): 2 migrations. New: 1. Live statements: 2 from `q.sql`. Proven on PGlite 0.5.17 (PostgreSQL 18.7) in 1.5 s.',
    );
    expect(text).toContain('| db/3.sql:2 | `drop-column` | breaking | drops column users.name: the live version reads it (q.sql:1) |');
    expect(text).toContain('| db/3.sql | ✅ | 1 |');
    expect(text).toContain('- q.sql:1 `SELECT name FROM users` fails after db/3.sql: column "name" does not exist (SQLSTATE 42703)');
    expect(text).toContain('- db/2.sql:1 `edited-migration`: db/2.sql differs from the live release v1.0.0');
  });
});

describe('annotationsOf', () => {
  it('puts each finding and each failing statement at its file and line, by level', () => {
    expect(annotationsOf(report()).map((a) => [a.annotation_level, `${a.path}:${a.start_line}`, a.title])).toEqual([
      ['failure', 'db/3.sql:2', 'drop-column: Drops a column'],
      ['notice', 'db/2.sql:1', 'edited-migration (ignored): Edits a released migration'],
      ['failure', 'q.sql:1', "the live version's statement fails after db/3.sql"],
    ]);
  });
});

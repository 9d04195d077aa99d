// Cross-check with squawk (npm squawk-cli: its Linux binary ships in @squawk-cli/linux-x64) on the same
// fixtures. squawk is installed by the test into a temp prefix, not a dependency of the project: its
// optional packages for other platforms are not in the registry this CI reaches, and a lock file
// naming them would make `npm ci` fail. Where both tools judge the same thing, findings are
// compared as rule@line; every difference must be one listed below with its reason, so the list
// stays true as either side changes. squawk's own extra rules (statement_timeout, IF EXISTS,
// bigint, identity) have no counterpart here and are left out.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMigrations, fileFinding, liveReads, type RuleId } from '@cutover/migration';
import { makeTempDir } from '@cutover/testkit';
import { FIXTURES, loadFixtureSet } from './migration-fixtures.js';

const run = promisify(execFile);
const SQUAWK_VERSION = '2.66.0';
let SQUAWK = '';

beforeAll(async () => {
  const prefix = await makeTempDir('cutover-squawk-');
  await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `squawk-cli@${SQUAWK_VERSION}`], { timeout: 120_000 });
  SQUAWK = join(prefix, 'node_modules', '.bin', 'squawk');
}, 150_000);

/** squawk's rules that judge what one of ours judges. */
const SAME_CONCERN: Record<string, RuleId> = {
  'ban-drop-column': 'drop-column',
  'ban-drop-table': 'drop-table',
  'renaming-column': 'rename-column',
  'renaming-table': 'rename-table',
  'changing-column-type': 'change-column-type',
  'adding-required-field': 'add-not-null-column',
  'adding-not-nullable-field': 'set-not-null',
  'constraint-missing-not-valid': 'add-constraint',
  'adding-foreign-key-constraint': 'add-constraint',
  'disallowed-unique-constraint': 'add-constraint',
  'require-concurrent-index-creation': 'index-concurrently',
  'require-concurrent-index-deletion': 'index-concurrently',
  'require-lock-timeout': 'lock-timeout',
  'syntax-error': 'syntax-error',
};

const NEW_TABLE = 'the table is created earlier in the same migrations: nobody reads it and nobody waits on its locks, so we judge only old tables';
const WEAKER_LOCK =
  'squawk asks for lock_timeout before any statement that takes a lock; our rule is about ACCESS EXCLUSIVE, and this statement takes a weaker one';

/** Every finding only one tool makes, with the reason. Keys: `<fixture> <tool> <rule>@<line>`. */
export const DIFFERENCES: Record<string, string> = {
  'added/103_create_table.sql squawk lock-timeout@5': `${WEAKER_LOCK} (CREATE TABLE … REFERENCES users: SHARE ROW EXCLUSIVE on users)`,
  'added/103_create_table.sql squawk index-concurrently@10': NEW_TABLE,
  'added/103_create_table.sql squawk add-not-null-column@11': NEW_TABLE,
  'added/103_create_table.sql squawk add-constraint@12': NEW_TABLE,
  'added/104_index_concurrently.sql squawk lock-timeout@4': `${WEAKER_LOCK} (CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on)`,
  'added/107_unique_using_index.sql squawk lock-timeout@4': `${WEAKER_LOCK} (CREATE INDEX CONCURRENTLY)`,
  'added/111_drop_index_concurrently.sql squawk lock-timeout@4': `${WEAKER_LOCK} (DROP INDEX CONCURRENTLY)`,
  'added/112_other_schema_same_name.sql squawk lock-timeout@5': `${WEAKER_LOCK} (CREATE SCHEMA takes no table lock)`,
  'added/112_other_schema_same_name.sql squawk rename-column@8': NEW_TABLE,
  'added/112_other_schema_same_name.sql squawk drop-table@9': NEW_TABLE,
  'added/113_create_if_not_exists_is_not_new.sql squawk lock-timeout@6': `${WEAKER_LOCK} (CREATE INDEX: SHARE; the index rule covers it)`,
  'added/114_set_config_lock_timeout.sql squawk lock-timeout@5':
    "squawk does not read SELECT set_config('lock_timeout', '3s', false) as setting it; PostgreSQL does",
  'added/210_drop_schema_read.sql cutover drop-table@4': 'squawk has no rule for DROP SCHEMA; the live version reads billing."Invoices"',
  'added/213_syntax_error.sql squawk syntax-error@5':
    "squawk also reports the statement's first line; ours is only the line where PostgreSQL's parser stops (6, after the missing semicolon), where squawk reports it too",
  'added/215_set_schema.sql cutover rename-table@5': 'squawk has no rule for ALTER TABLE … SET SCHEMA; for the live version it is a rename',
  'added/303_create_index.sql squawk lock-timeout@4': `${WEAKER_LOCK} (CREATE INDEX: SHARE; the index rule covers it)`,
  'added/307_lock_timeout_zero.sql cutover lock-timeout@6': 'squawk counts SET lock_timeout = 0 as set; zero turns the timeout off',
};

interface SquawkFinding {
  line: number;
  rule_name: string;
}

async function squawk(file: string): Promise<string[]> {
  // squawk exits 1 when it finds anything; the JSON is on stdout either way.
  const output = await run(SQUAWK, ['--reporter', 'json', join(FIXTURES, file)]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const findings = JSON.parse(output.stdout) as SquawkFinding[];
  // squawk's lines count from 0.
  const judged = findings.filter((finding) => finding.rule_name in SAME_CONCERN).map((finding) => `${SAME_CONCERN[finding.rule_name]}@${finding.line + 1}`);
  return [...new Set(judged)];
}

describe('squawk on the fixtures', async () => {
  const set = await loadFixtureSet();
  const reads = liveReads([set.queries]);

  it('agrees where both judge, except for the differences listed with their reasons', async () => {
    const agreements: string[] = [];
    const differences: string[] = [];
    for (const fixture of set.fixtures) {
      const syntax = fixture.migration.syntaxError;
      const findings = [
        ...checkMigrations([fixture.migration], reads),
        ...(syntax ? [fileFinding('syntax-error', fixture.file, syntax.line, syntax.reason)] : []),
      ];
      const ours = [...new Set(findings.map((finding) => `${finding.rule}@${finding.line}`))];
      const theirs = await squawk(fixture.file);
      agreements.push(...ours.filter((finding) => theirs.includes(finding)).map((finding) => `${fixture.file} ${finding}`));
      differences.push(...ours.filter((finding) => !theirs.includes(finding)).map((finding) => `${fixture.file} cutover ${finding}`));
      differences.push(...theirs.filter((finding) => !ours.includes(finding)).map((finding) => `${fixture.file} squawk ${finding}`));
    }
    console.log(`squawk and migration-check agree on ${agreements.length} findings:\n${agreements.join('\n')}\ndiffer on ${differences.length}.`);
    expect(differences.sort()).toEqual(Object.keys(DIFFERENCES).sort());
    expect(agreements.length).toBeGreaterThan(differences.length);
  });
});

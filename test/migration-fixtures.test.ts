// The fixture set through the static rules, then through the proof on PGlite and on a real
// PostgreSQL (Debian's, started here on a Unix socket): every file gets the verdict, the findings
// (rule and line) and the proof outcome its header names, on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyBase,
  checkMigrations,
  fileFinding,
  liveQueries,
  liveReads,
  openPglite,
  openPostgres,
  proveMigrations,
  runQueries,
  verdictOf,
  type Database,
  type Finding,
  type Proof,
} from '@cutover/migration';
import { startPostgres, type Postgres } from '@cutover/testkit';
import { loadFixtureSet, RESET_DATABASE, type Fixture, type ProofOutcome } from './migration-fixtures.js';

const set = await loadFixtureSet();
const reads = liveReads([set.queries]);
const queries = liveQueries([set.queries]);

function findingsOf(fixture: Fixture): Finding[] {
  const findings = checkMigrations([fixture.migration], reads);
  const syntax = fixture.migration.syntaxError;
  return syntax ? [...findings, fileFinding('syntax-error', fixture.file, syntax.line, syntax.reason)] : findings;
}

function outcome(proof: Proof): ProofOutcome {
  if (proof.migrations.some((migration) => migration.status === 'failed')) return 'migration fails';
  return proof.failures.length > 0 ? 'fails' : 'passes';
}

it('has at least 25 fixtures: safe expands, every rule breaking, tricky files', () => {
  expect(set.fixtures.length).toBeGreaterThanOrEqual(25);
  const verdicts = new Set(set.fixtures.map((fixture) => fixture.expect));
  expect(verdicts).toEqual(new Set(['compatible', 'risky', 'breaking']));
  const rules = new Set(set.fixtures.flatMap((fixture) => fixture.rules.map((rule) => rule.split('@')[0])));
  for (const rule of [
    'drop-column',
    'drop-table',
    'rename-column',
    'rename-table',
    'change-column-type',
    'add-not-null-column',
    'set-not-null',
    'add-constraint',
    'index-concurrently',
    'lock-timeout',
    'syntax-error',
  ]) {
    expect(rules, rule).toContain(rule);
  }
});

describe('static rules', () => {
  it.each(set.fixtures.map((fixture) => [fixture.file, fixture] as const))('%s', (_, fixture) => {
    const findings = findingsOf(fixture);
    expect(findings.map((finding) => `${finding.rule}@${finding.line}${finding.ignored ? ' ignored' : ''}`)).toEqual(fixture.rules);
  });
});

function proofOn(engine: string, open: () => Promise<Database>): void {
  describe(`proof on ${engine}`, () => {
    let db: Database;
    let started = 0;
    beforeAll(async () => {
      db = await open();
      await applyBase(db, set.base);
      // Every live statement works on the live schema: otherwise the proof proves nothing.
      expect(await runQueries(db, queries)).toEqual([]);
      started = Date.now();
    }, 180_000);
    afterAll(async () => {
      console.log(`${db.engine}: ${set.fixtures.length} fixtures proven in ${Date.now() - started} ms (after start and live schema)`);
      await db.close();
    });

    it.each(set.fixtures.map((fixture) => [fixture.file, fixture] as const))('%s', async (_, fixture) => {
      await db.execute(RESET_DATABASE);
      await applyBase(db, set.base);
      const proof = await proveMigrations(db, [fixture.migration], queries);
      expect({ verdict: verdictOf(findingsOf(fixture), proof), proof: outcome(proof) }).toEqual({ verdict: fixture.expect, proof: fixture.proof });
      // A failure names the migration and the live statement.
      for (const failure of proof.failures) expect(failure).toMatchObject({ migration: fixture.file, query: { file: 'queries.sql' } });
    });
  });
}

proofOn('PGlite', openPglite);

let server: Postgres | undefined;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
proofOn('PostgreSQL', () => openPostgres(server!.url));

// The fixture set of packages/migration/fixtures: the live schema, the live version's statements
// and one candidate migration per file, with what each file's header says to expect.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSql, SqlSyntaxError, type Migration, type QueryFile, type Verdict } from '@cutover/migration';
import { repoRoot } from '@cutover/testkit';

export const FIXTURES = join(repoRoot, 'packages', 'migration', 'fixtures');

export type ProofOutcome = 'passes' | 'fails' | 'migration fails';

export interface Fixture {
  /** `added/101_add_nullable_column.sql`. */
  file: string;
  text: string;
  migration: Migration;
  expect: Verdict;
  /** `rule@line`, with ` ignored` when an ignore comment silences it. */
  rules: string[];
  proof: ProofOutcome;
}

export interface FixtureSet {
  base: Migration[];
  queries: QueryFile;
  fixtures: Fixture[];
}

function header(text: string, field: string, file: string): string {
  const match = new RegExp(`^-- ${field}: (.+)$`, 'm').exec(text);
  if (!match) throw new Error(`${file}: no "-- ${field}:" line`);
  return match[1]!.trim();
}

async function migration(file: string, text: string): Promise<Migration> {
  try {
    return { file, statements: await parseSql(text, file) };
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    return { file, statements: [], syntaxError: { line: error.line, reason: error.reason } };
  }
}

export async function loadFixtureSet(): Promise<FixtureSet> {
  const sqlFiles = (dir: string) =>
    readdirSync(join(FIXTURES, dir))
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => `${dir}/${name}`);
  const read = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
  const base = await Promise.all(sqlFiles('base').map((file) => migration(file, read(file))));
  const queries = { file: 'queries.sql', statements: await parseSql(read('queries.sql'), 'queries.sql') };
  const fixtures = await Promise.all(
    sqlFiles('added').map(async (file) => {
      const text = read(file);
      const rules = header(text, 'rules', file);
      return {
        file,
        text,
        migration: await migration(file, text),
        expect: header(text, 'expect', file) as Verdict,
        rules: rules === 'none' ? [] : rules.split(',').map((rule) => rule.trim()),
        proof: header(text, 'proof', file) as ProofOutcome,
      };
    }),
  );
  return { base, queries, fixtures };
}

/**
 * Back to an empty database (every schema dropped, public made again) so the next fixture starts
 * from the live schema alone: a fresh PGlite per fixture took 2 to 7 s on this machine, this
 * takes a few ms. The fixtures make nothing outside schemas (no roles, no databases).
 */
export const RESET_DATABASE = `DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  CREATE SCHEMA public;
END $$`;

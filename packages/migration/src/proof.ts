/**
 * The proof on a real engine: the live schema (the migrations as they were at the live release),
 * then each new migration, and after each one every statement of the live version, inside a
 * transaction that is rolled back. A statement that fails names the migration that broke it.
 */
import type { Database } from './engine.js';
import { sqlError } from './engine.js';
import type { Migration } from './rules.js';
import { shorten } from './rules.js';
import type { SqlStatement } from './sql.js';
import { tagOf, walk } from './tree.js';

export interface LiveQuery {
  file: string;
  line: number;
  text: string;
  /** Holds $1-style parameters: PREPAREd (names and types checked), not run. */
  prepareOnly: boolean;
}

export interface AppliedMigration {
  file: string;
  status: 'applied' | 'failed' | 'not run';
  /** The failing statement's line and the engine's error. */
  line?: number;
  error?: string;
}

export interface QueryFailure {
  query: LiveQuery;
  /** The migration after which the statement first failed. */
  migration: string;
  error: string;
}

export interface Proof {
  engine: string;
  migrations: AppliedMigration[];
  failures: QueryFailure[];
  /** Statements of the live version run after each migration. */
  queries: number;
  durationMs: number;
}

/** A base migration the engine refuses: the proof cannot start. */
export class BaseSchemaError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    engine: string,
  ) {
    super(`the live schema does not build on ${engine}: ${file}:${line}: ${reason}`);
    this.name = 'BaseSchemaError';
  }
}

/** The statements of the `queries` files worth running: transaction control is ours. */
export function liveQueries(files: { file: string; statements: SqlStatement[] }[]): LiveQuery[] {
  return files.flatMap(({ file, statements }) =>
    statements
      .filter((statement) => tagOf(statement.node) !== 'TransactionStmt')
      .map((statement) => {
        let prepareOnly = false;
        walk(statement.node, (key) => {
          if (key === 'ParamRef') prepareOnly = true;
        });
        return { file, line: statement.line, text: statement.text, prepareOnly };
      }),
  );
}

/**
 * Runs one migration statement by statement, as psql -f does (BEGIN and COMMIT in the file make a
 * transaction; CREATE INDEX CONCURRENTLY works outside one). Session settings end with the file.
 */
async function applyMigration(db: Database, migration: Migration): Promise<{ line: number; error: string } | undefined> {
  if (migration.syntaxError) return { line: migration.syntaxError.line, error: migration.syntaxError.reason };
  for (const statement of migration.statements) {
    try {
      await db.execute(statement.text);
    } catch (error) {
      await db.execute('ROLLBACK').catch(() => {});
      await db.execute('RESET ALL').catch(() => {});
      return { line: statement.line, error: sqlError(error) };
    }
  }
  await db.execute('RESET ALL');
  return undefined;
}

/** Applies the migrations of the live release, in order; the first failure throws. */
export async function applyBase(db: Database, migrations: Migration[]): Promise<void> {
  for (const migration of migrations) {
    const failed = await applyMigration(db, migration);
    if (failed) throw new BaseSchemaError(migration.file, failed.line, failed.error, db.engine);
  }
}

/** Parameters ($1) have no values here: such statements are prepared, which resolves every name and type. */
function runnable(query: LiveQuery): string {
  return query.prepareOnly ? `PREPARE cutover_live_query AS ${query.text}` : query.text;
}

/** Runs every query in one transaction, each under a savepoint, and rolls it all back. */
export async function runQueries(db: Database, queries: LiveQuery[]): Promise<{ query: LiveQuery; error: string }[]> {
  const failed: { query: LiveQuery; error: string }[] = [];
  if (queries.length === 0) return failed;
  await db.execute('BEGIN');
  try {
    // A statement that would wait forever (a lock, a sleep) fails instead.
    await db.execute("SET LOCAL statement_timeout = '30s'");
    for (const query of queries) {
      await db.execute('SAVEPOINT cutover_live_query');
      try {
        await db.execute(runnable(query));
        if (query.prepareOnly) await db.execute('DEALLOCATE cutover_live_query');
        await db.execute('RELEASE SAVEPOINT cutover_live_query');
      } catch (error) {
        failed.push({ query, error: sqlError(error) });
        await db.execute('ROLLBACK TO SAVEPOINT cutover_live_query');
      }
    }
  } finally {
    await db.execute('ROLLBACK');
  }
  return failed;
}

/**
 * The new migrations on a database holding the live schema: after each one, the live version's
 * statements. A migration that fails stops the proof (the rest are `not run`).
 */
export async function proveMigrations(db: Database, added: Migration[], queries: LiveQuery[]): Promise<Proof> {
  const started = Date.now();
  const migrations: AppliedMigration[] = added.map((migration) => ({ file: migration.file, status: 'not run' }));
  const failures: QueryFailure[] = [];
  const broken = new Set<LiveQuery>();
  for (const [index, migration] of added.entries()) {
    const failed = await applyMigration(db, migration);
    if (failed) {
      migrations[index] = { file: migration.file, status: 'failed', ...failed };
      break;
    }
    migrations[index] = { file: migration.file, status: 'applied' };
    for (const { query, error } of await runQueries(db, queries)) {
      if (broken.has(query)) continue;
      broken.add(query);
      failures.push({ query, migration: migration.file, error });
    }
  }
  return { engine: db.engine, migrations, failures, queries: queries.length, durationMs: Date.now() - started };
}

/** One line naming a failed statement of the live version. */
export function describeFailure(failure: QueryFailure): string {
  return `${failure.query.file}:${failure.query.line} \`${shorten(failure.query.text, 100)}\` fails after ${failure.migration}: ${failure.error}`;
}

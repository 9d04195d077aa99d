/** migration-check's inputs, checked before anything runs. */
import { InputError, parseChoice, parseGlobs } from '@cutover/config';

export interface MigrationInputs {
  /** Globs of the migration files, relative to the repository root. */
  path: string[];
  /** The live release's ref; undefined: the last release tag. */
  base?: string;
  /** Files or globs of the live version's statements; empty: rules only, and the proof without queries. */
  queries: string[];
  /** A PostgreSQL server to prove on; undefined: PGlite. */
  databaseUrl?: string;
  failOn: 'breaking' | 'risky';
  /** The check run's name. */
  name: string;
  token: string;
}

export function parseMigrationInputs(input: (name: string) => string): MigrationInputs {
  const path = parseGlobs(input('path'));
  if (path.filter((glob) => !glob.startsWith('!')).length === 0)
    throw new InputError('path: expected at least one glob of SQL migration files, such as db/migrations/*.sql');
  const databaseUrl = input('database-url').trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new InputError('database-url: expected a postgresql:// URL (or leave it empty for the embedded PGlite)');
  const name = input('name').trim() || 'migration-check';
  return {
    path,
    base: input('base').trim() || undefined,
    queries: parseGlobs(input('queries')),
    databaseUrl,
    failOn: parseChoice(input('fail-on'), 'fail-on', ['breaking', 'risky'] as const, 'breaking'),
    name,
    token: input('token'),
  };
}

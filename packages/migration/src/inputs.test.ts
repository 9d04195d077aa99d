import { describe, expect, it } from 'vitest';
import { parseMigrationInputs } from './inputs.js';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseMigrationInputs', () => {
  it('reads globs, defaults and the optional inputs', () => {
    expect(parseMigrationInputs(from({ path: 'db/*.sql\n!db/seed.sql', queries: 'q/*.sql', token: 't' }))).toEqual({
      path: ['db/*.sql', '!db/seed.sql'],
      base: undefined,
      queries: ['q/*.sql'],
      databaseUrl: undefined,
      failOn: 'breaking',
      name: 'migration-check',
      token: 't',
    });
    expect(
      parseMigrationInputs(from({ path: 'db/*.sql', base: ' v1.2.0 ', 'database-url': 'postgres://u@h/db', 'fail-on': 'risky', name: 'db' })),
    ).toMatchObject({
      base: 'v1.2.0',
      databaseUrl: 'postgres://u@h/db',
      failOn: 'risky',
      name: 'db',
    });
  });

  it('refuses bad input naming the input', () => {
    expect(() => parseMigrationInputs(from({}))).toThrow('path: expected at least one glob of SQL migration files');
    expect(() => parseMigrationInputs(from({ path: '!db/x.sql' }))).toThrow('path: expected at least one glob');
    expect(() => parseMigrationInputs(from({ path: 'db/*.sql', 'database-url': 'mysql://h/db' }))).toThrow('database-url: expected a postgresql:// URL');
    expect(() => parseMigrationInputs(from({ path: 'db/*.sql', 'fail-on': 'never' }))).toThrow('fail-on: expected one of breaking, risky, got "never"');
  });
});

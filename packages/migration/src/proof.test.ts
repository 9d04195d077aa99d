import { describe, expect, it } from 'vitest';
import { describeFailure, liveQueries } from './proof.js';
import { parseSql } from './sql.js';

describe('liveQueries', () => {
  it('prepares statements with parameters, runs the others, and leaves transaction control out', async () => {
    const sql = 'BEGIN;\nSELECT * FROM users WHERE id = $1;\nUPDATE users SET seen = now() WHERE id = 2;\nCOMMIT;';
    const queries = liveQueries([{ file: 'q.sql', statements: await parseSql(sql, 'q.sql') }]);
    expect(queries).toEqual([
      { file: 'q.sql', line: 2, text: 'SELECT * FROM users WHERE id = $1', prepareOnly: true },
      { file: 'q.sql', line: 3, text: 'UPDATE users SET seen = now() WHERE id = 2', prepareOnly: false },
    ]);
  });

  it('names a failure by the statement, its place and the migration', () => {
    const failure = {
      query: { file: 'q.sql', line: 4, text: 'SELECT name\n  FROM users', prepareOnly: false },
      migration: 'db/3.sql',
      error: 'column "name" does not exist (SQLSTATE 42703)',
    };
    expect(describeFailure(failure)).toBe('q.sql:4 `SELECT name FROM users` fails after db/3.sql: column "name" does not exist (SQLSTATE 42703)');
  });
});

import { describe, expect, it } from 'vitest';
import { ignoredRules, lineIndex, parseSql, SqlSyntaxError } from './sql.js';
import { tagOf } from './tree.js';

describe('parseSql', () => {
  it('splits statements where PostgreSQL does: not inside comments, strings or dollar quotes', async () => {
    const sql = [
      '/* header; with a semicolon */',
      "INSERT INTO log (note) VALUES ('a; b');",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;',
      '-- trailing; comment',
      'SELECT 2',
    ].join('\n');
    const statements = await parseSql(sql, 'm.sql');
    expect(statements.map((s) => [s.line, tagOf(s.node), s.text])).toEqual([
      [2, 'InsertStmt', "INSERT INTO log (note) VALUES ('a; b')"],
      [3, 'CreateFunctionStmt', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$'],
      [5, 'SelectStmt', 'SELECT 2'],
    ]);
  });

  it('counts lines in bytes as the parser does, past multibyte characters', async () => {
    const statements = await parseSql("-- ☃ Ünïcödé\nSELECT 'é';\n\n/* ✓ */ SELECT 3;", 'm.sql');
    expect(statements.map((s) => [s.line, s.text])).toEqual([
      [2, "SELECT 'é'"],
      [4, 'SELECT 3'],
    ]);
  });

  it('has no statements for an empty file or one of comments only', async () => {
    expect(await parseSql('', 'm.sql')).toEqual([]);
    expect(await parseSql('-- nothing\n/* here; */\n', 'm.sql')).toEqual([]);
  });

  it("refuses a file the parser refuses, at the parser's line", async () => {
    const error = await parseSql('SELECT 1;\nALTER TABLE t ADD COLUMN a int\nALTER TABLE t ADD COLUMN b int;', 'db/3.sql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect(error).toMatchObject({ file: 'db/3.sql', line: 3, message: 'db/3.sql:3: syntax error at or near "ALTER"' });
  });

  it('reads ignore comments between the previous statement and this one', async () => {
    const statements = await parseSql(
      [
        '-- migration-check: ignore lock-timeout',
        'SELECT 1;',
        '/* migration-check: ignore set-not-null, drop-column (contract step) */',
        'SELECT 2;',
        'SELECT 3;',
      ].join('\n'),
      'm.sql',
    );
    expect(statements.map((s) => s.ignored)).toEqual([['lock-timeout'], ['set-not-null', 'drop-column'], []]);
  });
});

describe('helpers', () => {
  it('maps byte offsets to lines', () => {
    const lineOf = lineIndex(Buffer.from('a\nbc\n\nd'));
    expect([0, 1, 2, 4, 5, 6].map(lineOf)).toEqual([1, 1, 2, 2, 3, 4]);
  });

  it('reads rule names from a comment', () => {
    expect(ignoredRules('-- Migration-Check: ignore Drop-Column , rename-table because')).toEqual(['drop-column', 'rename-table']);
    expect(ignoredRules('-- ignore drop-column')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { liveReads, type LiveReads } from './reads.js';
import { checkMigrations, isZeroTimeout, RULES, type Migration } from './rules.js';
import { parseSql } from './sql.js';

async function migrations(...files: string[]): Promise<Migration[]> {
  return Promise.all(files.map(async (sql, index) => ({ file: `m${index + 1}.sql`, statements: await parseSql(sql, `m${index + 1}.sql`) })));
}

async function findings(reads: LiveReads | undefined, ...files: string[]): Promise<string[]> {
  return checkMigrations(await migrations(...files), reads).map((f) => `${f.file}:${f.line} ${f.rule} ${f.severity}${f.ignored ? ' ignored' : ''}`);
}

const live = async (sql: string) => liveReads([{ file: 'q.sql', statements: await parseSql(sql, 'q.sql') }]);
const TIMEOUT = "SET lock_timeout = '1s';\n";

describe('drops and renames', () => {
  it('are breaking without queries, saying the live version may read them', async () => {
    const [finding] = checkMigrations(await migrations(`${TIMEOUT}ALTER TABLE users DROP COLUMN name;`), undefined);
    expect(finding).toMatchObject({
      rule: 'drop-column',
      severity: 'breaking',
      line: 2,
      message: 'drops column users.name: no queries were given, so the live version may read it',
    });
    expect(finding!.reason).toBe(RULES['drop-column'].reason);
  });

  it('are breaking when a live statement reads the object, risky (a contract step) otherwise', async () => {
    const reads = await live('SELECT name FROM users;');
    expect(await findings(reads, `${TIMEOUT}ALTER TABLE users DROP COLUMN name, DROP COLUMN legacy;`)).toEqual([
      'm1.sql:2 drop-column breaking',
      'm1.sql:2 drop-column risky',
    ]);
    expect(await findings(reads, `${TIMEOUT}ALTER TABLE users RENAME TO people;\nALTER SCHEMA public RENAME TO app;\nDROP VIEW old_report;`)).toEqual([
      'm1.sql:2 rename-table breaking',
      'm1.sql:3 rename-table breaking',
      'm1.sql:4 drop-table risky',
    ]);
  });
});

describe('new relations', () => {
  it('are exempt from every rule, also in a later migration of the same release', async () => {
    const created = 'CREATE TABLE tags (id int);\nCREATE INDEX tags_id ON tags (id);';
    const later = 'ALTER TABLE tags ADD COLUMN name text NOT NULL, ADD CONSTRAINT c CHECK (id > 0);\nDROP INDEX tags_id;\nALTER TABLE tags RENAME TO labels;';
    expect(await findings(undefined, created, later)).toEqual([]);
  });

  it('are not new when created with IF NOT EXISTS or CREATE OR REPLACE VIEW (the live one may be there)', async () => {
    expect(await findings(undefined, 'CREATE TABLE IF NOT EXISTS users (id int);\nCREATE INDEX i ON users (id);')).toEqual([
      'm1.sql:2 index-concurrently risky',
    ]);
    expect(await findings(undefined, `${TIMEOUT}CREATE OR REPLACE VIEW report AS SELECT 1 AS a;\nDROP VIEW report;`)).toEqual(['m1.sql:3 drop-table breaking']);
  });
});

describe('NOT NULL', () => {
  it('flags an added NOT NULL or PRIMARY KEY column with nothing to fill it, not one with a default, identity or serial', async () => {
    const sql = `${TIMEOUT}ALTER TABLE t ADD COLUMN a int NOT NULL;
ALTER TABLE t ADD COLUMN b int PRIMARY KEY;
ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;
ALTER TABLE t ADD COLUMN d bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE t ADD COLUMN e bigserial;
ALTER TABLE t ADD COLUMN f int NOT NULL GENERATED ALWAYS AS (1) STORED;`;
    expect(await findings(undefined, sql)).toEqual([
      'm1.sql:2 add-not-null-column breaking',
      'm1.sql:3 add-not-null-column breaking',
      'm1.sql:3 add-constraint risky',
    ]);
  });

  it("flags SET NOT NULL and PostgreSQL 18's ADD CONSTRAINT … NOT NULL", async () => {
    expect(await findings(undefined, `${TIMEOUT}ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a;`)).toEqual([
      'm1.sql:2 set-not-null breaking',
      'm1.sql:3 set-not-null breaking',
    ]);
  });
});

describe('constraints and indexes', () => {
  it('wants NOT VALID for CHECK and FOREIGN KEY, USING INDEX for UNIQUE and PRIMARY KEY, also inline in ADD COLUMN', async () => {
    const sql = `${TIMEOUT}ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > 0);
ALTER TABLE t ADD CONSTRAINT c2 CHECK (a > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT f1 FOREIGN KEY (a) REFERENCES u (id);
ALTER TABLE t ADD CONSTRAINT f2 FOREIGN KEY (a) REFERENCES u (id) NOT VALID;
ALTER TABLE t ADD CONSTRAINT u1 UNIQUE (a);
ALTER TABLE t ADD CONSTRAINT u2 UNIQUE USING INDEX i;
ALTER TABLE t ADD COLUMN g int REFERENCES u (id);
ALTER TABLE t VALIDATE CONSTRAINT c2;`;
    const found = checkMigrations(await migrations(sql), undefined);
    expect(found.map((f) => `${f.line} ${f.rule}`)).toEqual(['2 add-constraint', '4 add-constraint', '6 add-constraint', '8 add-constraint']);
    expect(found[2]!.instead).toContain('USING INDEX');
    expect(found[0]!.message).toBe('adds CHECK c1 on t without NOT VALID');
  });

  it('wants CONCURRENTLY for CREATE INDEX, DROP INDEX and REINDEX', async () => {
    const sql = `${TIMEOUT}CREATE INDEX a ON t (x);
CREATE INDEX CONCURRENTLY b ON t (x);
DROP INDEX a;
DROP INDEX CONCURRENTLY b;
REINDEX INDEX c;
REINDEX (CONCURRENTLY) INDEX c;`;
    expect(await findings(undefined, sql)).toEqual([
      'm1.sql:2 index-concurrently risky',
      'm1.sql:4 index-concurrently risky',
      'm1.sql:6 index-concurrently risky',
    ]);
  });
});

describe('lock_timeout', () => {
  it('is needed before every ACCESS EXCLUSIVE lock on an old table, not before weaker locks', async () => {
    const sql = `ALTER TABLE t ADD COLUMN a text;
ALTER TABLE t VALIDATE CONSTRAINT c;
ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;
ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;
TRUNCATE t;
BEGIN;
LOCK TABLE t;
LOCK TABLE t IN SHARE MODE;
COMMIT;
VACUUM FULL t;
VACUUM t;
CLUSTER t USING i;
REFRESH MATERIALIZED VIEW m;
REFRESH MATERIALIZED VIEW CONCURRENTLY m;
ALTER INDEX i RENAME TO j;`;
    const found = checkMigrations(await migrations(sql), undefined).filter((f) => f.rule === 'lock-timeout');
    expect(found.map((f) => f.line)).toEqual([1, 5, 7, 10, 12, 13]);
    expect(found[0]!.message).toBe('takes an ACCESS EXCLUSIVE lock on t with no lock_timeout set before it in this file');
  });

  it('counts SET, SET LOCAL and set_config; zero, DEFAULT, RESET and RESET ALL turn it off; each file starts without', async () => {
    const alter = 'ALTER TABLE t ADD COLUMN x text;';
    const cases: [string, boolean][] = [
      [`SET lock_timeout = '2s';\n${alter}`, false],
      [`SET LOCAL lock_timeout TO 500;\n${alter}`, false],
      [`SELECT set_config('lock_timeout', '2s', false);\n${alter}`, false],
      [`SET lock_timeout = 0;\n${alter}`, true],
      [`SET lock_timeout = '0ms';\n${alter}`, true],
      [`SET lock_timeout = '2s';\nSET lock_timeout TO DEFAULT;\n${alter}`, true],
      [`SET lock_timeout = '2s';\nRESET lock_timeout;\n${alter}`, true],
      [`SET lock_timeout = '2s';\nRESET ALL;\n${alter}`, true],
    ];
    for (const [sql, flagged] of cases) {
      expect(
        (await findings(undefined, sql)).some((f) => f.includes('lock-timeout')),
        sql,
      ).toBe(flagged);
    }
    expect(await findings(undefined, `SET lock_timeout = '2s';`, alter)).toEqual(['m2.sql:1 lock-timeout risky']);
  });

  it('reads zero in any unit', () => {
    expect([0, '0', '0ms', ' 0 s', '0.0', ''].map(isZeroTimeout)).toEqual([true, true, true, true, true, true]);
    expect([1, '1', '2s', '0.5s', '100ms'].map(isZeroTimeout)).toEqual([false, false, false, false, false]);
  });
});

describe('ignore comments', () => {
  it('silence the named rule of the next statement only, and say so', async () => {
    const sql = `${TIMEOUT}-- migration-check: ignore set-not-null
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
ALTER TABLE t ALTER COLUMN b SET NOT NULL;`;
    expect(await findings(undefined, sql)).toEqual(['m1.sql:3 set-not-null breaking ignored', 'm1.sql:4 set-not-null breaking']);
  });
});

describe('type changes', () => {
  it('flag ALTER COLUMN TYPE, with the statement shortened to one line', async () => {
    const [finding] = checkMigrations(await migrations(`${TIMEOUT}ALTER TABLE "Orders"\n  ALTER COLUMN "Total" TYPE bigint;`), undefined);
    expect(finding).toMatchObject({
      rule: 'change-column-type',
      severity: 'breaking',
      message: 'changes the type of "Orders"."Total"',
      statement: 'ALTER TABLE "Orders" ALTER COLUMN "Total" TYPE bigint',
    });
  });
});

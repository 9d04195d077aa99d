// migration-check as the runner runs it (dist/migration-check/index.js): a temp git repository
// whose release v1.0.0 is live, then a release that renames a column the live version reads
// (refused at the gate) and its expand version (passes, and the live version's statements keep
// working on the expanded schema, on PGlite and on a real PostgreSQL). GitHub is the stand-in.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '@cutover/migration';
import { git, makeTempDir, repoRoot, runAction, startGitHubStandIn, startPostgres, type ActionRun, type GitHubStandIn, type Postgres } from '@cutover/testkit';

const temps: string[] = [];

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const LIVE = {
  'db/migrations/001_users.sql': `CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text
);
INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada');
`,
  'db/migrations/002_orders.sql': `CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  total_cents integer NOT NULL
);
`,
  // What v1's code sends.
  'db/live-queries.sql': `SELECT id, email, name FROM users WHERE email = $1;
INSERT INTO users (email, name) VALUES ('new@example.com', 'New');
UPDATE users SET name = 'Ada L.' WHERE id = 1;
INSERT INTO orders (user_id, total_cents) VALUES (1, 1200);
`,
};

/** v2 renames users.name in one step: the old version's statements break. */
const BREAKING = {
  'db/migrations/003_rename_name.sql': `SET lock_timeout = '2s';
-- v2 calls it full_name.
ALTER TABLE users RENAME COLUMN name TO full_name;
`,
};

/** The same change as expand: the new column kept in step with the old one. */
const EXPAND = {
  'db/migrations/003_add_full_name.sql': `SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN full_name text;
CREATE FUNCTION users_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.full_name := coalesce(NEW.full_name, NEW.name);
  NEW.name := coalesce(NEW.name, NEW.full_name);
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_full_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_full_name();
UPDATE users SET full_name = name WHERE full_name IS NULL;
`,
  // Built concurrently: the new code will look users up by full_name.
  'db/migrations/004_full_name_index.sql': 'CREATE INDEX CONCURRENTLY users_full_name ON users (full_name);\n',
};

/** A repository with v1.0.0 live (tagged), then a commit adding `next` on a branch of its own. */
async function repoWith(next: Record<string, string>, branch: string): Promise<{ dir: string; sha: string }> {
  const dir = await makeTempDir('cutover-migration-repo-');
  temps.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, LIVE);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1');
  git(dir, 'tag', 'v1.0.0');
  git(dir, 'checkout', '-q', '-b', branch);
  write(dir, next);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', branch);
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

const reportOf = (run: ActionRun) => JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as MigrationReport;

let gh: GitHubStandIn;
let postgres: Postgres;
beforeAll(async () => {
  [gh, postgres] = await Promise.all([startGitHubStandIn(), startPostgres()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([gh?.stop(), postgres?.stop()]);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function check(
  repo: { dir: string; sha: string },
  inputs: Record<string, string>,
  options: { token?: boolean; headSha?: string; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const headSha = options.headSha ?? repo.sha;
  return runAction('migration-check', {
    workspace: repo.dir,
    sha: repo.sha,
    apiUrl: gh.apiUrl,
    token: options.token === false ? '' : gh.token,
    repository: `${gh.owner}/${gh.repo}`,
    eventName: 'pull_request',
    event: { number: 7, pull_request: { number: 7, head: { sha: headSha, ref: 'topic' }, base: { ref: 'main' } } },
    inputs: { path: 'db/migrations/*.sql', queries: 'db/live-queries.sql', ...inputs },
    ...(options.env ? { env: options.env } : {}),
  });
}

describe('migration-check', () => {
  it('refuses a release that renames a column the live version reads: breaking, the step fails, the check run says where', async () => {
    const repo = await repoWith(BREAKING, 'rename');
    const headSha = 'b'.repeat(40);
    const run = await check(repo, {}, { headSha });
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.outputs.verdict).toBe('breaking');
    expect(run.errors.join('\n')).toContain('migration-check: breaking');

    const report = reportOf(run);
    expect(report.base).toEqual({ ref: 'v1.0.0', commit: git(repo.dir, 'rev-parse', 'v1.0.0') });
    expect(report.migrations).toMatchObject({
      base: ['db/migrations/001_users.sql', 'db/migrations/002_orders.sql'],
      added: ['db/migrations/003_rename_name.sql'],
    });
    expect(report.findings).toMatchObject([{ rule: 'rename-column', severity: 'breaking', file: 'db/migrations/003_rename_name.sql', line: 3 }]);
    expect(report.findings[0]!.message).toContain('the live version reads it (db/live-queries.sql:1)');
    // The proof names the migration and each live statement it broke.
    expect(report.proof.engine).toMatch(/^PGlite .* \(PostgreSQL 18\./);
    expect(report.proof.failures.map((failure) => [failure.query.line, failure.migration])).toEqual([
      [1, 'db/migrations/003_rename_name.sql'],
      [2, 'db/migrations/003_rename_name.sql'],
      [3, 'db/migrations/003_rename_name.sql'],
    ]);
    expect(report.proof.failures[0]!.error).toContain('column "name" does not exist');

    // One check run on the pull request's head, with annotations at file:line.
    const [checkRun] = gh.store.checkRunsFor(headSha).filter((run) => run.name === 'migration-check');
    expect(checkRun).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(String((checkRun!.output as { title: string }).title)).toBe('breaking: 1 breaking finding, 3 live statements fail');
    const annotations = gh.store.annotations.get(checkRun!.id as number)!;
    expect(annotations.map((a) => `${String(a.annotation_level)} ${String(a.path)}:${String(a.start_line)}`)).toEqual([
      'failure db/migrations/003_rename_name.sql:3',
      'failure db/live-queries.sql:1',
      'failure db/live-queries.sql:2',
      'failure db/live-queries.sql:3',
    ]);
    expect(run.summary).toContain('| db/migrations/003_rename_name.sql:3 | `rename-column` | breaking |');
    gh.assertNoViolations();
  });

  it('passes the expand version of the same change, and the live version keeps working on the expanded schema', async () => {
    const repo = await repoWith(EXPAND, 'expand');
    const run = await check(repo, {});
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.verdict).toBe('compatible');
    const report = reportOf(run);
    expect(report.findings).toEqual([]);
    expect(report.proof.migrations.map((migration) => migration.status)).toEqual(['applied', 'applied']);
    // All four statements of v1 ran after each new migration, and none failed.
    expect(report.proof).toMatchObject({ queries: 4, failures: [] });
    const [checkRun] = gh.store.checkRunsFor(repo.sha).filter((r) => r.name === 'migration-check');
    expect(checkRun).toMatchObject({ conclusion: 'success' });
    gh.assertNoViolations();
  });

  // pg is imported where a server is reached (packages/migration's openPostgres), not when the
  // action loads: it reads node:crypto's webcrypto as it loads, which brings net, dgram and
  // child_process (#15). actions-start.test.ts would see a static import; this sees a dynamic one on
  // PGlite's path. A load hook (Node's module.registerHooks) lists every module the run loads; pg's
  // chunk is the one with pg's Client's message.
  it('loads pg only to reach a PostgreSQL server: a run on PGlite never loads it', async () => {
    const chunks = join(repoRoot, 'dist', 'chunks');
    const pgChunks = readdirSync(chunks).filter(
      (name) => name.endsWith('.js') && readFileSync(join(chunks, name), 'utf8').includes('Connection terminated unexpectedly'),
    );
    expect(pgChunks).toHaveLength(1);
    const dir = await makeTempDir('cutover-migration-loads-');
    temps.push(dir);
    const loadedBy = async (inputs: Record<string, string>, name: string) => {
      const list = join(dir, `${name}.txt`);
      const hook = join(dir, `${name}.mjs`);
      writeFileSync(
        hook,
        `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(list)}, url + '\\n'); return next(url, context); } });\n`,
      );
      // As a URL: NODE_OPTIONS splits on spaces. After any NODE_OPTIONS the tests run with.
      const nodeOptions = [process.env.NODE_OPTIONS, `--import=${pathToFileURL(hook).href}`].filter(Boolean).join(' ');
      const run = await check(await repoWith(EXPAND, `loads-${name}`), inputs, { env: { NODE_OPTIONS: nodeOptions } });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      return readFileSync(list, 'utf8').trim().split('\n');
    };
    const onPglite = await loadedBy({}, 'pglite');
    expect(onPglite.some((url) => url.includes('/dist/chunks/pglite/'))).toBe(true);
    expect(onPglite.filter((url) => pgChunks.some((name) => url.endsWith(`/dist/chunks/${name}`)))).toEqual([]);
    const onServer = await loadedBy({ 'database-url': postgres.url }, 'server');
    expect(onServer.filter((url) => pgChunks.some((name) => url.endsWith(`/dist/chunks/${name}`)))).toHaveLength(1);
  });

  it('proves the same on a real PostgreSQL through database-url, in a throwaway database it drops', async () => {
    const expand = await check(await repoWith(EXPAND, 'expand-pg'), { 'database-url': postgres.url });
    expect(expand.exitCode, expand.stdout + expand.stderr).toBe(0);
    expect(reportOf(expand).proof).toMatchObject({ engine: `PostgreSQL ${postgres.version}`, queries: 4, failures: [] });

    const breaking = await check(await repoWith(BREAKING, 'rename-pg'), { 'database-url': postgres.url });
    expect(breaking.exitCode).toBe(1);
    expect(reportOf(breaking).proof.failures).toHaveLength(3);

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const databases = (await client.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).rows.map((row) => row.datname);
    await client.end();
    expect(databases).toEqual(['postgres', 'template0', 'template1']);
  });

  it('after the expand release that passed, v1 and v2 run side by side on one database, as during a blue-green switch', async () => {
    const repo = await repoWith(EXPAND, 'expand-switch');
    expect((await check(repo, {})).outputs.verdict).toBe('compatible');

    // The deployed database: v1's migrations, then the expand release's, as a deploy step runs them.
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE switch_demo');
    const db = new pg.Client({ connectionString: postgres.url.replace('/postgres?', '/switch_demo?') });
    await db.connect();
    try {
      for (const file of [...Object.keys(LIVE), ...Object.keys(EXPAND)].filter((path) => path.startsWith('db/migrations/'))) {
        await db.query(readFileSync(join(repo.dir, file), 'utf8'));
      }
      // Blue (v1) and green (v2) serve at once: each writes its own way and reads the other's rows.
      await db.query('INSERT INTO users (email, name) VALUES ($1, $2)', ['blue@example.com', 'Written by v1']);
      await db.query('INSERT INTO users (email, full_name) VALUES ($1, $2)', ['green@example.com', 'Written by v2']);
      const v1 = await db.query('SELECT id, email, name FROM users WHERE email = $1', ['green@example.com']);
      const v2 = await db.query('SELECT id, email, full_name FROM users WHERE email = $1', ['blue@example.com']);
      expect(v1.rows[0]).toMatchObject({ name: 'Written by v2' });
      expect(v2.rows[0]).toMatchObject({ full_name: 'Written by v1' });
      const backfilled = await db.query('SELECT full_name FROM users WHERE email = $1', ['ada@example.com']);
      expect(backfilled.rows[0]).toEqual({ full_name: 'Ada' });
    } finally {
      await db.end();
      await admin.query('DROP DATABASE switch_demo');
      await admin.end();
    }
  });

  it('without a token, annotates through workflow commands in the log', async () => {
    const run = await check(await repoWith(BREAKING, 'rename-no-token'), {}, { token: false });
    expect(run.exitCode).toBe(1);
    const annotated = run.commands.filter((command) => command.command === 'error' && command.properties.file);
    expect(annotated.map((command) => `${command.properties.file}:${command.properties.line}`)).toContain('db/migrations/003_rename_name.sql:3');
  });

  it('refuses bad input before checking anything, naming the input', async () => {
    const repo = await repoWith(EXPAND, 'bad-input');
    const noPath = await check(repo, { path: '' });
    expect(noPath.exitCode).toBe(1);
    expect(noPath.errors).toEqual(['path: expected at least one glob of SQL migration files, such as db/migrations/*.sql']);
    const badBase = await check(repo, { base: 'v9.9.9' });
    expect(badBase.errors[0]).toMatch(/^base: v9\.9\.9 is not a commit of this checkout/);
    const badQueries = await check(repo, { queries: 'db/nothing-here.sql' });
    expect(badQueries.errors).toEqual(['queries: no file matches db/nothing-here.sql']);
  });
});

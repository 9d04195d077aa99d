/**
 * The engines the proof runs on: PGlite (PostgreSQL compiled to WebAssembly, in this process) by
 * default, or a real PostgreSQL server named by `database-url`, where the check works in a
 * throwaway database it creates and drops (never in the database the URL names).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { errorMessage, InputError } from '@cutover/config';

/** One session on a fresh database. */
export interface Database {
  /** e.g. `PGlite 0.5.17 (PostgreSQL 18.7)` or `PostgreSQL 15.18 (Debian 15.18-0+deb12u1)`. */
  readonly engine: string;
  /** Runs one statement (the simple query protocol: as psql sends a line). */
  execute(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** SQLSTATE and message of a failed statement, as both engines report it. */
export function sqlError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${errorMessage(error)} (SQLSTATE ${code})` : errorMessage(error);
}

type PGliteInstance = import('@electric-sql/pglite').PGliteInterface;

function pgliteDatabase(db: PGliteInstance, engine: string): Database {
  return {
    engine,
    execute: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

type PGliteModule = typeof import('@electric-sql/pglite');

// Held in a variable so that webpack does not take `new URL('./…', import.meta.url)` for an asset.
const here = import.meta.url;

/**
 * PGlite as shipped: bundled, from the copy that scripts/build.mjs puts beside the bundle (webpack
 * breaks PGlite; see there); from source, the package. Neither import goes through webpack.
 */
async function loadPglite(): Promise<PGliteModule> {
  const shipped = new URL('./pglite/index.js', here);
  if (existsSync(fileURLToPath(shipped))) return (await import(/* webpackIgnore: true */ shipped.href)) as PGliteModule;
  return import(/* webpackIgnore: true */ '@electric-sql/pglite');
}

/**
 * A fresh in-memory PGlite. Loaded only here, when no database-url is given: its WebAssembly and
 * file system image (15 MB) are then read from disk, and never otherwise.
 */
export async function openPglite(): Promise<Database> {
  const { PGlite } = await loadPglite();
  const db = await PGlite.create();
  const version = String((await db.query<{ version: string }>('SELECT version()')).rows[0]?.version ?? '');
  // "PostgreSQL 18.7 (PGlite 0.5.17) on wasm32-unknown-emscripten, ..."
  const match = /^PostgreSQL (\S+) \((PGlite [^)]+)\)/.exec(version);
  return pgliteDatabase(db, match ? `${match[2]} (PostgreSQL ${match[1]})` : 'PGlite');
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function connect(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  // Notices (IF EXISTS skipping an object) are not failures.
  client.on('notice', () => {});
  await client.connect();
  return client;
}

/**
 * A throwaway database on the server of `url`: created with a random name, dropped by close().
 * The URL's user needs CREATEDB; the URL's own database is only used to create and drop it.
 */
export async function openPostgres(url: string): Promise<Database> {
  let config: pg.ClientConfig;
  try {
    config = parseIntoClientConfig(url);
  } catch (error) {
    throw new InputError(`database-url: not a PostgreSQL connection URL (${errorMessage(error)})`);
  }
  let admin: pg.Client;
  try {
    admin = await connect(config);
  } catch (error) {
    throw new InputError(`database-url: cannot connect (${sqlError(error)})`);
  }
  const version = String((await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '');
  const engine = `PostgreSQL ${version}`;
  const name = `cutover_check_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${quote(name)}`);
  } catch (error) {
    await admin.end().catch(() => {});
    throw new InputError(`database-url: cannot create a throwaway database (${sqlError(error)}); the user needs the CREATEDB privilege`);
  }
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quote(name)}`).catch(() => {});
    await admin.end().catch(() => {});
  };
  let client: pg.Client;
  try {
    client = await connect({ ...config, database: name });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    engine,
    execute: async (sql) => {
      await client.query(sql);
    },
    close: async () => {
      await client.end().catch(() => {});
      await drop();
    },
  };
}

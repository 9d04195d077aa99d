/**
 * The engines the proof runs on: PGlite (PostgreSQL compiled to WebAssembly, in this process) by
 * default, or a real PostgreSQL server named by `database-url`, where the check works in a
 * throwaway database it creates and drops (never in the database the URL names).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompress as brotliDecompressCallback } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { errorMessage, InputError } from '@cutover/config';

// Promisified on call, not when the module loads: reading brotliDecompress loads node:zlib, and
// the action's start would pay it on every run, PGlite or not (#15).
const brotliDecompress = (data: Buffer) => promisify(brotliDecompressCallback)(data);

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
type PGliteOptions = import('@electric-sql/pglite').PGliteOptions;

const here = import.meta.url;
// Node's WebAssembly global (the TypeScript lib here declares its types, not the value).
const webAssembly = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

/**
 * PGlite as shipped: bundled, from the copy that scripts/build.mjs puts beside the output holding
 * this module (PGlite is not bundled: it loads its own modules), with its WebAssembly and file
 * system image stored brotli-compressed (15 MB to 3.7 MB of dist/) and handed to it decompressed;
 * from source, the package as installed, which reads its own files.
 */
async function loadPglite(): Promise<{ module: PGliteModule; options: PGliteOptions }> {
  const shipped = new URL('./pglite/', here);
  if (!existsSync(fileURLToPath(new URL('index.js', shipped)))) return { module: await import('@electric-sql/pglite'), options: {} };
  const read = async (name: string) => brotliDecompress(await readFile(new URL(`${name}.br`, shipped)));
  const [module, pglite, initdb, fsBundle] = await Promise.all([
    import(new URL('index.js', shipped).href) as Promise<PGliteModule>,
    read('pglite.wasm'),
    read('initdb.wasm'),
    read('pglite.data'),
  ]);
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([webAssembly.compile(pglite), webAssembly.compile(initdb)]);
  return { module, options: { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([fsBundle]) } };
}

/**
 * A fresh in-memory PGlite. Loaded only here, when no database-url is given: its WebAssembly and
 * file system image are then read from disk, and never otherwise.
 */
export async function openPglite(): Promise<Database> {
  const { module, options } = await loadPglite();
  const db = await module.PGlite.create(options);
  const version = String((await db.query<{ version: string }>('SELECT version()')).rows[0]?.version ?? '');
  // "PostgreSQL 18.7 (PGlite 0.5.17) on wasm32-unknown-emscripten, ..."
  const match = /^PostgreSQL (\S+) \((PGlite [^)]+)\)/.exec(version);
  return pgliteDatabase(db, match ? `${match[2]} (PostgreSQL ${match[1]})` : 'PGlite');
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Pg = typeof pg;

async function connect(driver: Pg, config: pg.ClientConfig): Promise<pg.Client> {
  const client = new driver.Client(config);
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
  // pg is imported here, on the one path that talks to a server, and before the connection (its
  // failure is not the URL's): when it loads it reads node:crypto's webcrypto, and with it net,
  // dgram and child_process (8 ms of migration-check's start, CPU profile, #15), which a check on
  // PGlite never uses.
  const { default: driver } = await import('pg');
  let admin: pg.Client;
  try {
    admin = await connect(driver, config);
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
    client = await connect(driver, { ...config, database: name });
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

import { execFile } from 'node:child_process';
import { chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { requireBinary, spawnDaemon, stopDaemon, waitReady } from './process.js';
import { makeTempDir, removeDir } from './temp.js';

const run = promisify(execFile);

/** Debian's postgresql package puts its programs under /usr/lib/postgresql/<major>/bin. */
export const POSTGRES_ROOT = '/usr/lib/postgresql';

export interface Postgres {
  /** `postgresql://cutover@/postgres?host=<socket dir>`: the superuser over the Unix socket. */
  url: string;
  /** The directory holding the socket (`.s.PGSQL.5432`). */
  socketDir: string;
  /** `server_version` as the server reports it, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
  version: string;
  stop(): Promise<void>;
}

/** The newest major version installed, e.g. /usr/lib/postgresql/15/bin. */
async function binDir(): Promise<string> {
  const majors = (await readdir(POSTGRES_ROOT).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  const dir = join(POSTGRES_ROOT, majors[0] ?? 'missing', 'bin');
  await requireBinary(join(dir, 'postgres'), 'postgresql');
  await requireBinary(join(dir, 'initdb'), 'postgresql');
  return dir;
}

/**
 * initdb and postgres refuse to run as root: as root, the cluster belongs to Debian's `postgres`
 * user and its programs run through setpriv (which execs, so the pid we hold is the server's).
 */
async function asServerUser(argv: string[]): Promise<{ argv: string[]; owner?: { uid: number; gid: number } }> {
  if (process.getuid?.() !== 0) return { argv };
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { argv: ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', ...argv], owner: { uid, gid } };
}

/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql` package: initdb in a temp dir, the
 * server listening on a Unix socket in that dir only (no TCP), trust authentication for the
 * superuser `cutover`, no fsync (the data dies with the test). stop() removes everything.
 */
export async function startPostgres(): Promise<Postgres> {
  const bin = await binDir();
  const dir = await makeTempDir('cutover-postgres-');
  try {
    const data = join(dir, 'data');
    const probe = await asServerUser([]);
    if (probe.owner) await chown(dir, probe.owner.uid, probe.owner.gid);
    const initdb = await asServerUser([join(bin, 'initdb'), '-D', data, '-U', 'cutover', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    try {
      await run(initdb.argv[0]!, initdb.argv.slice(1), { encoding: 'utf8' });
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${failure.stderr || failure.message}`, { cause: error });
    }
    const server = await asServerUser([
      join(bin, 'postgres'),
      '-D',
      data,
      '-k',
      dir,
      '-c',
      'listen_addresses=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ]);
    const daemon = spawnDaemon(server.argv, join(dir, 'postgres.log'));
    const url = `postgresql://cutover@/postgres?host=${encodeURIComponent(dir)}`;
    const stop = async () => {
      // SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for clients to disconnect).
      await stopDaemon(daemon, 'SIGINT', 10_000);
      await removeDir(dir);
    };
    let version = '';
    try {
      await waitReady(
        'postgres',
        daemon,
        async () => {
          const client = new pg.Client({ connectionString: url });
          try {
            await client.connect();
            version = String((await client.query('SHOW server_version')).rows[0]?.server_version ?? '');
            return true;
          } finally {
            await client.end().catch(() => {});
          }
        },
        30_000,
      );
    } catch (error) {
      await stop();
      throw error;
    }
    return { url, socketDir: dir, version, stop };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

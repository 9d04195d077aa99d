/** A workspace for actions run by tests and benchmarks: a temp dir with an environment file. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  dir: string;
  /** Writes `cutover.yml` with one environment (`production` unless named). */
  writeEnvironment(environment: object, name?: string): Promise<void>;
  remove(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-workspace-'));
  return {
    dir,
    // JSON is YAML: the loader reads it as users' files.
    writeEnvironment: (environment, name = 'production') =>
      writeFile(join(dir, 'cutover.yml'), JSON.stringify({ environments: { [name]: environment } }, null, 2)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * git as the tests' repositories need it: a fixed author, no signing, and none of the machine's own
 * git configuration (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM); `env` adds variables (commit dates).
 */
export function gitWith(env: NodeJS.ProcessEnv = {}): (cwd: string, ...args: string[]) => string {
  return (cwd, ...args) =>
    execFileSync(
      'git',
      ['-c', 'user.name=Cutover Test', '-c', 'user.email=test@cutover.local', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args],
      { cwd, encoding: 'utf8', env: { ...process.env, ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } },
    ).trim();
}

/** gitWith() with nothing added: `git(dir, 'commit', '-q', '-m', 'v1')`. */
export const git = gitWith();

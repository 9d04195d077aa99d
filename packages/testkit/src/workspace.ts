/** A workspace for actions run by tests and benchmarks: a temp dir with an environment file. */
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

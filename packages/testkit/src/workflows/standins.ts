/**
 * Other people's actions the simulator lets a workflow use, each through a stand-in the test gives:
 * a function doing locally what the action does (checkout clones a local repository at the run's
 * commit; the artifact actions copy to and from a directory). The allow-list and each action's
 * inputs are GitHub's; anything else is refused by name.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { node24 } from '../node24.js';

const run = promisify(execFile);

/** The inputs each allowed action declares (its action.yml), for refusing a misspelt one. */
export const ALLOWED_ACTIONS: Record<string, string[]> = {
  'actions/checkout': [
    'repository',
    'ref',
    'token',
    'ssh-key',
    'ssh-known-hosts',
    'ssh-strict',
    'ssh-user',
    'persist-credentials',
    'path',
    'clean',
    'filter',
    'sparse-checkout',
    'sparse-checkout-cone-mode',
    'fetch-depth',
    'fetch-tags',
    'show-progress',
    'lfs',
    'submodules',
    'set-safe-directory',
    'github-server-url',
  ],
  'actions/setup-node': [
    'always-auth',
    'node-version',
    'node-version-file',
    'architecture',
    'check-latest',
    'registry-url',
    'scope',
    'token',
    'cache',
    'package-manager-cache',
    'cache-dependency-path',
    'mirror',
    'mirror-token',
  ],
  'actions/upload-artifact': ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'],
  'actions/download-artifact': ['name', 'artifact-ids', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id'],
};

export interface StandInStep {
  /** `actions/checkout` (no version). */
  uses: string;
  /** Its `with:`, evaluated. */
  inputs: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  /** github.sha, github.ref, github.repository, github.token, github.run_id of the run. */
  github: { sha: string; ref: string; repository: string; token: string; runId: number; serverUrl: string };
  workflow: string;
  run: number;
  job: string;
  /** The step's environment (job and step env). */
  env: Record<string, string>;
}

export interface StandInResult {
  outputs?: Record<string, string>;
  /** Variables for the later steps (as written to GITHUB_ENV). */
  env?: Record<string, string>;
  /** Directories put in front of PATH for the later steps (as written to GITHUB_PATH). */
  path?: string[];
}

export type ActionStandIn = (step: StandInStep) => void | StandInResult | Promise<void | StandInResult>;

function git(cwd: string, ...args: string[]) {
  return run('git', ['-c', 'advice.detachedHead=false', ...args], { cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}

/**
 * actions/checkout from a local repository: the run's commit (or `ref`), at `path`; `fetch-depth`
 * 1 by default (no tags, one commit, as the action does), 0 for all history and tags. Unless
 * `persist-credentials: false`, the token is left in .git/config as the action leaves it.
 */
export function checkoutFrom(origin: string): ActionStandIn {
  return async ({ inputs, workspace, github }) => {
    const target = inputs.path ? resolve(workspace, inputs.path) : workspace;
    await mkdir(target, { recursive: true });
    const want = inputs.ref || github.sha;
    const depth = inputs['fetch-depth'] ?? '1';
    const url = `file://${resolve(origin)}`;
    await git(target, 'init', '-q');
    if (depth === '0') {
      await git(target, 'fetch', '-q', '--tags', url, '+refs/heads/*:refs/remotes/origin/*');
      const known = await git(target, 'rev-parse', '-q', '--verify', `${want}^{commit}`).then(
        () => want,
        () => `origin/${want}`,
      );
      await git(target, 'checkout', '-q', '--detach', known);
    } else {
      const tags = inputs['fetch-tags'] === 'true' ? ['--tags'] : ['--no-tags'];
      await git(target, 'fetch', '-q', ...tags, `--depth=${depth}`, url, want);
      await git(target, 'checkout', '-q', '--detach', 'FETCH_HEAD');
    }
    if (inputs['persist-credentials'] !== 'false') {
      const basic = Buffer.from(`x-access-token:${inputs.token || github.token}`).toString('base64');
      await git(target, 'config', '--local', `http.${github.serverUrl}/.extraheader`, `AUTHORIZATION: basic ${basic}`);
    }
    const { stdout } = await git(target, 'rev-parse', 'HEAD');
    return { outputs: { ref: want, commit: stdout.trim() } };
  };
}

/** actions/setup-node: the test kit's Node 24 on PATH; another major version is refused. */
export function setupNode(): ActionStandIn {
  return ({ inputs }) => {
    const version = inputs['node-version'] ?? '';
    if (version && !/^(v?24(\.|$)|lts\/\*|node|latest)/.test(version)) throw new Error(`setup-node: node-version ${version}: the simulator has Node 24 only`);
    return { path: [dirname(node24())], outputs: { 'node-version': process.versions.node } };
  };
}

/**
 * actions/upload-artifact and actions/download-artifact over a directory: `<dir>/<run id>/<name>/`.
 * Paths are files or directories of the workspace (no wildcards).
 */
export function artifactsIn(dir: string): Record<'actions/upload-artifact' | 'actions/download-artifact', ActionStandIn> {
  return {
    'actions/upload-artifact': async ({ inputs, workspace, run: runId }) => {
      const name = inputs.name || 'artifact';
      const paths = (inputs.path ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      if (!paths.length) throw new Error('upload-artifact: path is required');
      if (paths.some((path) => /[*?[]/.test(path)))
        throw new Error(`upload-artifact: wildcards in path are not modelled by the simulator (${paths.join(', ')})`);
      const target = join(dir, String(runId), name);
      if ((await exists(target)) && inputs.overwrite !== 'true') throw new Error(`upload-artifact: an artifact named ${name} already exists in run ${runId}`);
      let found = 0;
      for (const path of paths) {
        const source = isAbsolute(path) ? path : join(workspace, path);
        if (!(await exists(source))) continue;
        found += 1;
        await cp(source, join(target, path.replace(/^\/+/, '')), { recursive: true });
      }
      if (!found && (inputs['if-no-files-found'] ?? 'warn') === 'error')
        throw new Error(`upload-artifact: no files were found with the provided path: ${paths.join(', ')}`);
      return { outputs: { 'artifact-id': `${runId}-${name}` } };
    },
    'actions/download-artifact': async ({ inputs, workspace, run: runId }) => {
      const from = join(dir, inputs['run-id'] || String(runId));
      const into = inputs.path ? resolve(workspace, inputs.path) : workspace;
      const names = inputs.name ? [inputs.name] : (await exists(from)) ? await readdir(from) : [];
      if (inputs.name && !(await exists(join(from, inputs.name)))) throw new Error(`download-artifact: artifact not found: ${inputs.name}`);
      for (const name of names) await cp(join(from, name), inputs.name || inputs['merge-multiple'] === 'true' ? into : join(into, name), { recursive: true });
      return { outputs: { 'download-path': into } };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

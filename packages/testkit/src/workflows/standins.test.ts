import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from './simulator.js';
import { artifactsIn, checkoutFrom } from './standins.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-standins-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

describe("stand-ins for other people's actions", () => {
  it("checkout: the run's commit, one commit and no tags unless fetch-depth: 0; the token left in .git/config unless persist-credentials: false", async () => {
    const origin = join(dir, 'origin');
    await mkdir(origin);
    git(origin, 'init', '-q', '-b', 'main');
    await writeFile(join(origin, 'a.txt'), 'one\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'one');
    git(origin, 'tag', 'v1.0.0');
    await writeFile(join(origin, 'a.txt'), 'two\n');
    git(origin, 'commit', '-q', '-am', 'two');
    const sha = git(origin, 'rev-parse', 'HEAD');
    const checkout = checkoutFrom(origin);
    const step = (inputs: Record<string, string>, workspace: string) =>
      checkout({
        uses: 'actions/checkout',
        inputs,
        workspace,
        runnerTemp: dir,
        github: { sha, ref: 'refs/heads/main', repository: 'octo-org/app', token: 'ghs_secret', runId: 1, serverUrl: 'https://github.com' },
        workflow: 'x',
        run: 1,
        job: 'j',
        env: {},
      });

    await step({}, join(dir, 'shallow'));
    expect(git(join(dir, 'shallow'), 'rev-parse', 'HEAD')).toBe(sha);
    expect(git(join(dir, 'shallow'), 'tag')).toBe('');
    expect(git(join(dir, 'shallow'), 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(await readFile(join(dir, 'shallow', '.git', 'config'), 'utf8')).toContain(
      `AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`,
    );

    await step({ 'fetch-depth': '0', 'persist-credentials': 'false' }, join(dir, 'full'));
    expect(git(join(dir, 'full'), 'describe', '--tags', '--abbrev=0')).toBe('v1.0.0');
    expect(await readFile(join(dir, 'full', '.git', 'config'), 'utf8')).not.toContain('AUTHORIZATION');
  });

  it("upload-artifact and download-artifact: one job's files reach a later job of the run", async () => {
    const sim = new Simulator({
      workflows: [
        {
          file: 'build.yml',
          text: [
            'name: build',
            'on: push',
            'jobs:',
            '  build:',
            '    runs-on: x',
            '    steps:',
            '      - run: mkdir -p dist && echo built > dist/app.js',
            '      - uses: actions/upload-artifact@v4',
            '        with: { name: app, path: dist, if-no-files-found: error }',
            '  deploy:',
            '    needs: build',
            '    runs-on: x',
            '    steps:',
            '      - uses: actions/download-artifact@v4',
            '        with: { name: app, path: out }',
            '      - run: cat out/dist/app.js',
            '      - id: missing',
            '        continue-on-error: true',
            '        uses: actions/download-artifact@v4',
            '        with: { name: docs }',
            '',
          ].join('\n'),
        },
      ],
      actions: artifactsIn(join(dir, 'artifacts')),
    });
    sim.trigger({ name: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) });
    await sim.settled();
    const run = sim.run('build');

    expect(run.step('deploy.steps[1]').result!.stdout).toBe('built\n');
    expect(run.step('deploy.missing')).toMatchObject({ outcome: 'failure', conclusion: 'success', reason: 'download-artifact: artifact not found: docs' });
    expect(existsSync(join(dir, 'artifacts', String(run.id), 'app', 'dist', 'app.js'))).toBe(true);
    await sim.dispose();
  });
});

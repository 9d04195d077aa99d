import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { childEnvironment, RUNNER_SECRET_VARIABLES, withholdFromChildren } from './child-env.js';
import { runShellCommand } from './shell.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-child-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** What a job step's environment holds when a JavaScript action runs. */
const job = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  MY_SETTING: 'kept',
  GITHUB_SHA: 'abc',
  INPUT_TOKEN: 'ghs_input',
  INPUT_CONFIG: '.github/cutover.yml',
  input_lower: 'x',
  GITHUB_TOKEN: 'ghs_env',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  ACTIONS_CACHE_URL: 'https://cache.example/',
  SLACK_WEBHOOK_URL: 'https://hooks.example/secret',
};

describe('childEnvironment', () => {
  it("keeps the job's variables and drops INPUT_*, the runner's credentials and the names given", () => {
    expect(childEnvironment(['SLACK_WEBHOOK_URL'], job)).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/runner', MY_SETTING: 'kept', GITHUB_SHA: 'abc' });
    expect(RUNNER_SECRET_VARIABLES).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
  });

  it('withholds what withholdFromChildren named, from then on, and never changes the process', () => {
    withholdFromChildren(['PAGER_KEY_FOR_TEST']);
    expect(childEnvironment([], { PAGER_KEY_FOR_TEST: 'k', PATH: '/bin' })).toEqual({ PATH: '/bin' });
    expect(job.INPUT_TOKEN).toBe('ghs_input');
  });

  it("is what a user's command gets by default: it sees PATH and its own variables, no token", async () => {
    for (const [name, value] of Object.entries(job)) if (name !== 'PATH' && name !== 'HOME') vi.stubEnv(name, value);
    withholdFromChildren(['SLACK_WEBHOOK_URL']);
    const out = join(dir, 'env.txt');
    expect(await runShellCommand(`env > ${out}`, { cwd: dir })).toBe(0);
    const names = readFileSync(out, 'utf8')
      .split('\n')
      .map((line) => line.split('=')[0]);
    expect(names).toContain('MY_SETTING');
    expect(names).toContain('PATH');
    for (const gone of [
      'INPUT_TOKEN',
      'INPUT_CONFIG',
      'input_lower',
      'GITHUB_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'SLACK_WEBHOOK_URL',
    ]) {
      expect(names).not.toContain(gone);
    }
  });
});

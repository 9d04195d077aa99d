import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRollbackInputs } from './inputs.js';

const saved = { ...process.env };

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries({ environment: 'production', token: 't', incident: 'true', ...inputs })) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

afterEach(() => {
  process.env = { ...saved };
});

describe('readRollbackInputs', () => {
  it('reads every input', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rollback-inputs-'));
    await writeFile(join(workspace, 'watch.json'), '{"verdict":"unhealthy"}');
    process.env.GITHUB_WORKSPACE = workspace;
    setInputs({
      to: ' v1.2.0 ',
      reason: 'errors',
      incident: 'false',
      report: 'watch.json',
      'redeploy-workflow': 'deploy.yml',
      'comment-pull-requests': 'true',
      'dry-run': 'true',
    });
    expect(readRollbackInputs()).toEqual({
      environments: ['production'],
      to: 'v1.2.0',
      reason: 'errors',
      incident: false,
      commentPullRequests: true,
      dryRun: true,
      token: 't',
      report: { path: 'watch.json', json: { verdict: 'unhealthy' } },
      redeployWorkflow: 'deploy.yml',
    });
  });

  it('reads no token as none: rollback then works from `to` and the environment file', () => {
    setInputs({ token: '  ', to: 'green' });
    expect(readRollbackInputs()).toEqual({ environments: ['production'], to: 'green', incident: true, commentPullRequests: false, dryRun: false });
  });

  it('refuses bad values, naming the input', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rollback-inputs-'));
    await writeFile(join(workspace, 'bad.json'), 'not json');
    process.env.GITHUB_WORKSPACE = workspace;
    const refusal = (inputs: Record<string, string>) => {
      setInputs(inputs);
      return () => readRollbackInputs();
    };
    expect(refusal({ to: 'v1 v2' })).toThrow('to: expected one deployment id or version, got "v1 v2"');
    expect(refusal({ 'redeploy-workflow': '../deploy.yml' })).toThrow(/^redeploy-workflow: expected a workflow file name/);
    expect(refusal({ report: 'missing.json' })).toThrow(/^report: missing.json does not exist/);
    expect(refusal({ report: 'bad.json' })).toThrow(/^report: bad.json is not a JSON health-watch report/);
    expect(refusal({ incident: 'maybe' })).toThrow('incident: expected true or false, got "maybe"');
    expect(refusal({ 'comment-pull-requests': 'yes please' })).toThrow('comment-pull-requests: expected true or false, got "yes please"');
    expect(refusal({ environment: ' ' })).toThrow('environment: input required and not supplied');
  });

  it('reads several environments in the order given, each to its own last good deployment', () => {
    setInputs({ environment: 'production-us, production-eu' });
    expect(readRollbackInputs()).toMatchObject({ environments: ['production-us', 'production-eu'], token: 't' });
    setInputs({ environment: '\nproduction-us\nproduction-eu\n' });
    expect(readRollbackInputs().environments).toEqual(['production-us', 'production-eu']);
  });

  it('refuses `to` with several environments, and several environments without a token, naming the input', () => {
    setInputs({ environment: 'production-us, production-eu', to: 'stable' });
    expect(() => readRollbackInputs()).toThrow(
      'to: "stable" names one target, and environment names 2 (production-us, production-eu); leave `to` empty to roll each back to its own last good deployment, or roll back one environment at a time with `to`',
    );
    setInputs({ environment: 'production-us, production-eu', token: '' });
    expect(() => readRollbackInputs()).toThrow(
      "token: rolling back several environments (production-us, production-eu) needs a token, to read each one's last good deployment from its deployment history; without one, roll back one environment at a time with `to`",
    );
    // One environment takes `to` as always.
    setInputs({ environment: 'production-us,', to: 'stable' });
    expect(readRollbackInputs()).toMatchObject({ environments: ['production-us'], to: 'stable' });
  });
});

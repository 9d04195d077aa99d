import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRollbackInputs } from './inputs.js';

const saved = { ...process.env };

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries({ token: 't', incident: 'true', ...inputs })) {
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
    expect(readRollbackInputs()).toEqual({ to: 'green', incident: true, commentPullRequests: false, dryRun: false });
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
  });
});

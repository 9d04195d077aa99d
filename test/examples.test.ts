// The example workflows are copy-ready: every `with:` key is an input the action declares, every
// required input is given, and every `steps.<id>.outputs.<name>` read is an output the action sets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentFile } from '@cutover/environment';
import { repoRoot } from '@cutover/testkit';

interface ActionSpec {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
}
interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps?: Step[];
  outputs?: Record<string, string>;
}

const actions = new Map<string, ActionSpec>(
  readdirSync(join(repoRoot, 'actions')).map((name) => [name, parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as ActionSpec]),
);

/** Our action named by a `uses:` (published or local form), or undefined for anyone else's. */
export function ourAction(uses: string | undefined): string | undefined {
  const match = /^(?:cutover\/cutover\/actions\/([a-z-]+)@\S+|\.\/actions\/([a-z-]+))$/.exec(uses ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

function workflows(): [string, { jobs: Record<string, Job> }][] {
  const dirs = [join(repoRoot, 'examples', 'workflows'), join(repoRoot, '.github', 'workflows')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => [join(dir, file).slice(repoRoot.length + 1), parse(readFileSync(join(dir, file), 'utf8'))] as [string, { jobs: Record<string, Job> }]),
  );
}

/** Problems with how one workflow uses our actions. */
export function checkWorkflow(workflow: { jobs: Record<string, Job> }): string[] {
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    const stepActions = new Map<string, string>();
    for (const [index, step] of (job.steps ?? []).entries()) {
      const action = ourAction(step.uses);
      if (step.uses?.includes('/actions/') && step.uses.startsWith('cutover/') && !action) problems.push(`${jobName}[${index}]: unknown action ${step.uses}`);
      if (!action) continue;
      const spec = actions.get(action);
      if (!spec) {
        problems.push(`${jobName}[${index}]: no action named ${action}`);
        continue;
      }
      if (step.id) stepActions.set(step.id, action);
      for (const key of Object.keys(step.with ?? {})) {
        if (!(key in spec.inputs)) problems.push(`${jobName}[${index}]: ${action} has no input "${key}"`);
      }
      for (const [input, declared] of Object.entries(spec.inputs)) {
        const given = step.with?.[input] !== undefined;
        if (declared.required && declared.default === undefined && !given) problems.push(`${jobName}[${index}]: ${action} needs input "${input}"`);
      }
    }
    const text = JSON.stringify(job);
    for (const [, id, output] of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const action = stepActions.get(id!);
      if (action && !(output! in actions.get(action)!.outputs)) problems.push(`${jobName}: ${action} (step ${id}) has no output "${output}"`);
    }
  }
  return problems;
}

describe('example workflows', () => {
  const all = workflows();

  it('include the pipelines the README promises', () => {
    const names = all.map(([file]) => file);
    for (const expected of ['examples/workflows/deliver.yml', 'examples/workflows/monitor.yml', 'examples/workflows/metrics.yml', '.github/workflows/ci.yml']) {
      expect(names).toContain(expected);
    }
  });

  it.each(all.map(([file, workflow]) => [file, workflow] as const))('%s uses only declared inputs and outputs', (_, workflow) => {
    expect(checkWorkflow(workflow)).toEqual([]);
  });

  it('catches a with: key that is not an input, a missing required input and an unknown output', () => {
    const broken = {
      jobs: {
        deploy: {
          steps: [
            { id: 'switch', uses: 'cutover/cutover/actions/blue-green-switch@v1', with: { enviroment: 'production' } },
            { uses: 'cutover/cutover/actions/health-watch@v1', with: { environment: 'production', target: '${{ steps.switch.outputs.pool }}' } },
          ],
        },
      },
    };
    expect(checkWorkflow(broken)).toEqual([
      'deploy[0]: blue-green-switch has no input "enviroment"',
      'deploy[0]: blue-green-switch needs input "environment"',
      'deploy: blue-green-switch (step switch) has no output "pool"',
    ]);
  });

  it('ship an environment file that the loader accepts', async () => {
    const file = await loadEnvironmentFile(join(repoRoot, 'examples', 'cutover.yml'));
    expect(Object.keys(file.environments)).toEqual(['staging', 'production']);
  });

  it('ship the waves environment file, regions with router instances, that the loader accepts', async () => {
    const file = await loadEnvironmentFile(join(repoRoot, 'examples', 'waves-cutover.yml'));
    expect(Object.keys(file.environments)).toEqual(['production-eu', 'production-us']);
    expect(file.environments['production-us']!.router.instances!.map((instance) => instance.name)).toEqual(['lb-us-east', 'lb-us-west']);
  });
});

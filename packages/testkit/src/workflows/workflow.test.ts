import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../node24.js';
import { jobsInOrder, loadWorkflow, parseWorkflow } from './workflow.js';

const job = (body: string) => `name: x\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n${body}`;
const steps = (...lines: string[]) => job(`    steps:\n${lines.map((line) => `      - ${line}\n`).join('')}`);
const parse = (text: string) => parseWorkflow(text, 'x.yml');

describe('workflow files', () => {
  const files = ['examples/workflows', '.github/workflows'].flatMap((dir) => readdirSync(join(repoRoot, dir)).map((file) => [`${dir}/${file}`]));
  it.each(files)('accepts %s', (file) => {
    expect(() => loadWorkflow(join(repoRoot, file))).not.toThrow();
  });

  it('reads deliver.yml: jobs in needs order, step keys, conditions, concurrency', () => {
    const deliver = loadWorkflow(join(repoRoot, 'examples', 'workflows', 'deliver.yml'));
    expect(deliver).toMatchObject({
      id: 'deliver',
      name: 'deliver',
      on: { events: { workflow_run: { workflows: ['ci'], types: ['completed'], branches: ['main'] } } },
    });
    expect(jobsInOrder(deliver)).toEqual(['candidate', 'staging', 'production']);
    expect(deliver.jobs.production!.steps.map((step) => step.key)).toEqual([
      'production.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      'production.canary',
      'production.watch',
      'production.Release what was tested',
      'production.rollback',
    ]);
    // Deploys wait for the environment's lock in turn, not in a concurrency group (see deliver.yml).
    expect(deliver.jobs.production!.concurrency).toBeUndefined();
  });

  it('refuses keys GitHub does not have, and keys the simulator does not model, naming the path and line', () => {
    expect(() => parse(steps('{ run: make, continue-on-eror: true }'))).toThrow(
      'x.yml: jobs.deploy.steps[0].continue-on-eror: unknown key "continue-on-eror" (line 7)',
    );
    expect(() => parse(job('    strategy: { matrix: { os: [a, b] } }\n    steps: [{ run: make }]\n'))).toThrow(
      'x.yml: jobs.deploy.strategy: key "strategy" is not modelled by the simulator (line 6)',
    );
    expect(() => parse(`envv: {}\n${steps('{ run: make }')}`)).toThrow('x.yml: envv: unknown key "envv" (line 1)');
    expect(() => parse(steps('{ run: make, shell: python }'))).toThrow(
      'jobs.deploy.steps[0].shell: shell "python" is not modelled by the simulator (bash only)',
    );
    expect(() => parse(job('    permissions: { contents: writ }\n    steps: [{ run: make }]\n'))).toThrow(
      'jobs.deploy.permissions.contents: expected read, write, none, got "writ"',
    );
    expect(() => parse(steps('{ uses: actions/checkout@v4, run: make }'))).toThrow('jobs.deploy.steps[0]: a step has either uses: or run:');
  });

  it('refuses unknown functions and contexts, and contexts GitHub does not allow there', () => {
    expect(() => parse(steps("{ run: 'echo ${{ hashFiles(''a'') }}' }"))).toThrow(
      'x.yml: jobs.deploy.steps[0].run: function hashFiles() is not modelled by the simulator',
    );
    expect(() => parse(steps('{ run: make, if: "toUpper(github.ref) == \'X\'" }'))).toThrow('jobs.deploy.steps[0].if: unknown function toUpper()');
    expect(() => parse(steps('{ run: make, if: "secrets.TOKEN != \'\'" }'))).toThrow('jobs.deploy.steps[0].if: context secrets is not available here');
    expect(() => parse(job("    if: env.X == 'y'\n    steps: [{ run: make }]\n"))).toThrow(
      'jobs.deploy.if: context env is not available here (GitHub allows github, needs, vars, inputs)',
    );
    expect(() => parse(`concurrency: deploy-\${{ needs.x.outputs.y }}\n${steps('{ run: make }')}`)).toThrow('concurrency: context needs is not available here');
  });

  it('refuses references that can only be mistakes: a step id, a needed job, an input, a github property', () => {
    expect(() => parse(steps("{ run: 'echo ${{ steps.build.outputs.version }}' }"))).toThrow(
      'jobs.deploy.steps[0].run: steps.build: no step of job deploy has id "build"',
    );
    expect(() => parse(steps("{ run: 'echo ${{ steps.later.outputs.x }}' }", '{ id: later, run: make }'))).toThrow(
      'steps.later: step "later" does not run before this',
    );
    expect(() => parse(steps('{ id: a, run: make }', "{ run: 'echo ${{ steps.a.output.x }}' }"))).toThrow(
      'steps.a.output: a step has outputs, outcome and conclusion',
    );
    expect(() => parse(steps("{ run: 'echo ${{ needs.build.outputs.x }}' }"))).toThrow('needs.build: job deploy does not need build (needs: none)');
    expect(() => parse(steps("{ run: 'echo ${{ inputs.version }}' }"))).toThrow('inputs.version: the workflow has no workflow_dispatch inputs');
    expect(() => parse(steps("{ run: 'echo ${{ github.sah }}' }"))).toThrow('github.sah: GitHub\'s github context has no property "sah"');
    expect(() => parse(job('    needs: [build]\n    steps: [{ run: make }]\n'))).toThrow('jobs.deploy.needs: needs unknown job "build"');
    expect(() =>
      parse('on: push\njobs:\n  a: { runs-on: x, needs: b, steps: [{ run: make }] }\n  b: { runs-on: x, needs: a, steps: [{ run: make }] }\n'),
    ).toThrow('needs cycle');
  });
});

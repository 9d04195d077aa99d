// The simulator over small workflows written here: each job is real bash processes, so what races
// really races; rendezvous files and release files make the orders the tests assert certain.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '../github/index.js';
import type { TimelineEntry } from './records.js';
import { Simulator, type SimulatorOptions } from './simulator.js';

let dir: string;
let simulators: Simulator[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-sim-test-'));
  simulators = [];
});

afterEach(async () => {
  await Promise.all(simulators.map((simulator) => simulator.dispose()));
  await rm(dir, { recursive: true, force: true });
});

function simulator(workflows: Record<string, string>, options: Partial<SimulatorOptions> = {}): Simulator {
  const simulator = new Simulator({
    workflows: Object.entries(workflows).map(([file, text]) => ({ file, text })),
    grace: { interruptMs: 300, terminateMs: 300 },
    ...options,
  });
  simulators.push(simulator);
  return simulator;
}

async function fileAppears(path: string): Promise<void> {
  for (let waited = 0; !existsSync(path); waited += 20) {
    if (waited > 30_000) throw new Error(`${path} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const at = (sim: Simulator, match: Partial<TimelineEntry>): number => {
  const found = sim.timeline.find((entry) => Object.entries(match).every(([key, value]) => entry[key as keyof TimelineEntry] === value));
  if (!found) throw new Error(`no timeline entry ${JSON.stringify(match)}:\n${sim.describe().join('\n')}`);
  return found.seq;
};

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const push = (n: number, message = 'change') => ({ name: 'push' as const, ref: 'refs/heads/main', sha: sha(n), headCommit: { message } });
/** A job that waits until `file` exists (the test releases it). */
const waitFor = (file: string) => `while [ ! -e "${file}" ]; do sleep 0.05; done`;

describe('the workflow simulator', () => {
  it('starts every workflow a push matches, together: their jobs overlap (each waits to meet the other)', async () => {
    const meet = (me: string, other: string) => `touch "${dir}/${me}"; for i in $(seq 600); do [ -e "${dir}/${other}" ] && exit 0; sleep 0.05; done; exit 1`;
    const sim = simulator({
      'ci.yml': `name: ci\non:\n  push:\n    branches: [main]\njobs:\n  tests:\n    runs-on: x\n    steps:\n      - run: '${meet('ci', 'deliver')}'\n`,
      'deliver.yml': `name: deliver\non: push\njobs:\n  candidate:\n    runs-on: x\n    steps:\n      - run: '${meet('deliver', 'ci')}'\n`,
      'docs.yml': `name: docs\non:\n  push:\n    branches: [gh-pages]\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: exit 1\n`,
    });
    sim.trigger(push(1));
    await sim.settled();

    expect(sim.runs.map((run) => [run.workflow, run.conclusion])).toEqual([
      ['ci', 'success'],
      ['deliver', 'success'],
    ]);
    // Each job started before the other finished.
    expect(at(sim, { workflow: 'ci', kind: 'job-started' })).toBeLessThan(at(sim, { workflow: 'deliver', kind: 'job-finished' }));
    expect(at(sim, { workflow: 'deliver', kind: 'job-started' })).toBeLessThan(at(sim, { workflow: 'ci', kind: 'job-finished' }));
    expect(sim.describe()[0]).toBe('event push (push to refs/heads/main at 1111111 starts ci, deliver)');
  });

  it('queues runs of one concurrency group: the pending second run is cancelled by the third, which runs after the first', async () => {
    const sim = simulator({
      'deploy.yml': [
        'name: deploy',
        'on:',
        '  workflow_dispatch:',
        '    inputs:',
        '      n: { required: true }',
        'concurrency: Deploy-${{ github.ref_name }}',
        'jobs:',
        '  deploy:',
        '    runs-on: x',
        '    steps:',
        `      - run: '${waitFor(`${dir}/release-\${{ inputs.n }}`)}'`,
        '',
      ].join('\n'),
    });
    const dispatch = (n: number) => sim.trigger({ name: 'workflow_dispatch', workflow: 'deploy.yml', inputs: { n: String(n) }, sha: sha(9) })[0]!;
    const first = dispatch(1);
    await sim.when((entry) => entry.kind === 'job-started' && entry.run === first.id);
    const second = dispatch(2);
    await sim.when((entry) => entry.kind === 'workflow-pending' && entry.run === second.id);
    const third = dispatch(3);
    await sim.when((entry) => entry.kind === 'workflow-completed' && entry.run === second.id);
    await writeFile(join(dir, 'release-3'), '');
    await writeFile(join(dir, 'release-1'), '');
    await sim.settled();

    expect([first, second, third].map((run) => run.conclusion)).toEqual(['success', 'cancelled', 'success']);
    expect(second.cancelReason).toBe("Canceling since a higher priority waiting request for 'Deploy-main' exists");
    expect(second.job('deploy').result).toBe('cancelled');
    expect(sim.timeline.filter((entry) => entry.run === second.id && entry.kind === 'job-started')).toEqual([]);
    expect(at(sim, { run: third.id, kind: 'workflow-started' })).toBeGreaterThan(at(sim, { run: first.id, kind: 'workflow-completed' }));
  });

  it('cancel-in-progress: the running run gets SIGINT, its cancelled() steps run, its default steps do not; the new run starts after it ended', async () => {
    const sim = simulator({
      'ci.yml': [
        'name: ci',
        'on:',
        '  workflow_dispatch:',
        '    inputs:',
        '      n: { required: true }',
        'concurrency:',
        '  group: ci',
        "  cancel-in-progress: ${{ github.event_name == 'workflow_dispatch' }}",
        'jobs:',
        '  tests:',
        '    runs-on: x',
        '    steps:',
        '      - id: work',
        '        run: |',
        `          trap 'echo interrupted >> "${dir}/log-\${{ inputs.n }}"; exit 130' INT`,
        `          touch "${dir}/running-\${{ inputs.n }}"`,
        `          ${waitFor(`${dir}/release-\${{ inputs.n }}`)}`,
        '      - if: cancelled()',
        `        run: echo "cleanup after \${{ steps.work.outcome }}" >> "${dir}/log-\${{ inputs.n }}"`,
        `      - run: echo never >> "${dir}/log-\${{ inputs.n }}"`,
        '',
      ].join('\n'),
    });
    const first = sim.trigger({ name: 'workflow_dispatch', workflow: 'ci', inputs: { n: '1' }, sha: sha(9) })[0]!;
    await fileAppears(join(dir, 'running-1'));
    await writeFile(join(dir, 'release-2'), '');
    const second = sim.trigger({ name: 'workflow_dispatch', workflow: 'ci', inputs: { n: '2' }, sha: sha(9) })[0]!;
    await sim.settled();

    expect([first.conclusion, second.conclusion]).toEqual(['cancelled', 'success']);
    expect(first.cancelReason).toBe("Canceling since a higher priority waiting request for 'ci' exists");
    expect(first.steps.map((step) => `${step.key}: ${step.outcome}`)).toEqual(['tests.work: cancelled', 'tests.steps[1]: success', 'tests.steps[2]: skipped']);
    expect(first.step('tests.work').result!.signalsSent).toEqual(['SIGINT']);
    expect(await readFile(join(dir, 'log-1'), 'utf8')).toBe('interrupted\ncleanup after cancelled\n');
    expect(first.job('tests').result).toBe('cancelled');
    expect(at(sim, { run: second.id, kind: 'workflow-started' })).toBeGreaterThan(at(sim, { run: first.id, kind: 'workflow-completed' }));
  });

  it('a step that ignores SIGINT gets SIGTERM after the grace, one that ignores both is killed with its processes; timeout-minutes stops a step or a job', async () => {
    const loop = 'while true; do sleep 0.05; done';
    const sim = simulator({
      'long.yml': [
        'name: long',
        'on: push',
        'jobs:',
        '  stubborn:',
        '    runs-on: x',
        '    steps:',
        `      - run: trap '' INT; touch "${dir}/a"; ${loop}`,
        `      - if: always()`,
        `        run: echo after`,
        '  deaf:',
        '    runs-on: x',
        '    steps:',
        `      - run: trap '' INT TERM; touch "${dir}/b"; ${loop}`,
        '  slow:',
        '    runs-on: x',
        '    steps:',
        '      - timeout-minutes: 0.01',
        `        run: ${loop}`,
        '      - if: failure()',
        '        run: echo timed out',
        '  late:',
        '    runs-on: x',
        '    timeout-minutes: 0.01',
        '    steps:',
        `      - run: ${loop}`,
        '      - if: always()',
        '        run: echo cleanup',
        '',
      ].join('\n'),
    });
    const [run] = sim.trigger(push(1));
    await sim.when((entry) => entry.kind === 'job-finished' && entry.job === 'slow');
    await sim.when((entry) => entry.kind === 'job-finished' && entry.job === 'late');
    await fileAppears(join(dir, 'a'));
    await fileAppears(join(dir, 'b'));
    sim.cancel(run!.id, 'cancelled by a person');
    await sim.settled();

    expect(run!.conclusion).toBe('cancelled');
    expect(run!.step('stubborn.steps[0]')).toMatchObject({ outcome: 'cancelled', result: { signalsSent: ['SIGINT', 'SIGTERM'] } });
    expect(run!.step('stubborn.steps[1]')).toMatchObject({ outcome: 'success', result: { stdout: 'after\n' } });
    expect(run!.step('deaf.steps[0]')).toMatchObject({ outcome: 'cancelled', result: { signalsSent: ['SIGINT', 'SIGTERM', 'SIGKILL'], signal: 'SIGKILL' } });
    expect(run!.job('stubborn').result).toBe('cancelled');
    // Only bash gets the SIGINT, as on GitHub: it ends there, unless the signal comes while its
    // foreground `sleep` runs, which was not interrupted itself, so bash goes on until the SIGTERM.
    expect(run!.step('slow.steps[0]')).toMatchObject({ outcome: 'failure', reason: 'The action has timed out after 0.01 minutes' });
    expect(run!.step('slow.steps[0]').result!.signalsSent[0]).toBe('SIGINT');
    expect(run!.step('slow.steps[1]')).toMatchObject({ outcome: 'success' });
    expect(run!.job('slow').result).toBe('failure');
    expect(run!.job('late')).toMatchObject({ result: 'failure', reason: 'The job has exceeded the maximum execution time of 0.01 minutes' });
    expect(run!.job('late').steps.map((step) => step.outcome)).toEqual(['cancelled', 'success']);
  });

  it('needs: dependents of a failed job are skipped, if: failure() and always() run and read needs.<job>.result and outputs', async () => {
    const sim = simulator({
      'build.yml': [
        'name: build',
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: x',
        '    outputs:',
        '      version: ${{ steps.version.outputs.version }}',
        '    steps:',
        '      - id: version',
        '        run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"',
        '      - id: lint',
        '        continue-on-error: true',
        '        run: exit 2',
        '      - run: exit 1',
        '  test:',
        '    needs: build',
        '    runs-on: x',
        '    steps: [{ run: echo test }]',
        '  report:',
        '    needs: build',
        '    if: failure()',
        '    runs-on: x',
        '    steps:',
        '      - run: echo "${{ needs.build.result }} ${{ needs.build.outputs.version }}"',
        '  summary:',
        '    needs: [test, report]',
        '    if: always()',
        '    runs-on: x',
        '    steps:',
        '      - run: echo "${{ needs.test.result }} ${{ needs.report.result }} ${{ contains(needs.*.result, \'skipped\') }}"',
        '',
      ].join('\n'),
    });
    sim.trigger(push(1));
    await sim.settled();
    const run = sim.run('build');

    expect(Object.values(run.jobs).map((job) => [job.id, job.result])).toEqual([
      ['build', 'failure'],
      ['test', 'skipped'],
      ['report', 'success'],
      ['summary', 'success'],
    ]);
    expect(run.step('build.lint')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(run.job('build').outputs).toEqual({ version: '1.2.3' });
    expect(run.step('report.steps[0]').result!.stdout).toBe('failure 1.2.3\n');
    expect(run.step('summary.steps[0]').result!.stdout).toBe('skipped success true\n');
    expect(run.conclusion).toBe('failure');
  });

  it('env at workflow, job and step level, GITHUB_ENV and GITHUB_PATH for later steps, outputs, the step summary', async () => {
    await writeFile(join(dir, 'hello'), '#!/bin/sh\necho hello from PATH\n', { mode: 0o755 });
    const sim = simulator(
      {
        'env.yml': [
          'name: env',
          'on: push',
          'env:',
          '  LEVEL: workflow',
          '  REGION: ${{ vars.REGION }}',
          'jobs:',
          '  job:',
          '    runs-on: x',
          '    env:',
          '      LEVEL: job',
          '    defaults:',
          '      run:',
          '        shell: bash',
          '    outputs:',
          '      seen: ${{ steps.read.outputs.seen }}',
          '    steps:',
          `      - run: echo "FROM_FILE=set" >> "$GITHUB_ENV"; echo "${dir}" >> "$GITHUB_PATH"; echo '### done' >> "$GITHUB_STEP_SUMMARY"`,
          '      - id: read',
          '        env:',
          '          LEVEL: step-${{ env.LEVEL }}',
          '        run: |',
          '          echo "seen=$LEVEL $REGION $FROM_FILE $(hello) ${{ env.FROM_FILE }}" >> "$GITHUB_OUTPUT"',
          '          false | true',
          '',
        ].join('\n'),
      },
      { vars: { REGION: 'eu-west' } },
    );
    sim.trigger(push(1));
    await sim.settled();
    const run = sim.run('env');

    // shell: bash is `bash --noprofile --norc -eo pipefail`: `false | true` fails the step.
    expect(run.step('job.read').outcome).toBe('failure');
    expect(run.step('job.read').result!.outputs).toEqual({ seen: 'step-job eu-west set hello from PATH set' });
    expect(run.job('job')).toMatchObject({ outputs: { seen: 'step-job eu-west set hello from PATH set' }, summary: '### done\n' });
  });

  it('workflow_run chains on completion, with the conclusion and head sha of the run; chains stop after three levels', async () => {
    const sim = simulator({
      'ci.yml': `name: ci\non: push\njobs:\n  tests:\n    runs-on: x\n    steps:\n      - run: "[ \\"\${{ contains(github.event.head_commit.message, 'broken') }}\\" = false ]"\n`,
      'deliver.yml': [
        'name: deliver',
        'on:',
        '  workflow_run:',
        '    workflows: [ci]',
        '    types: [completed]',
        '    branches: [main]',
        'jobs:',
        '  candidate:',
        "    if: github.event.workflow_run.conclusion == 'success'",
        '    runs-on: x',
        '    outputs:',
        '      built: ${{ steps.build.outputs.sha }}',
        '    steps:',
        '      - id: build',
        '        run: echo "sha=${{ github.event.workflow_run.head_sha }} ${{ github.event.workflow_run.event }} ${{ github.sha }}" >> "$GITHUB_OUTPUT"',
        '',
      ].join('\n'),
      'notify.yml': `name: notify\non:\n  workflow_run:\n    workflows: [deliver]\n    types: [completed]\njobs:\n  say:\n    runs-on: x\n    steps: [{ run: echo notified }]\n`,
      'audit.yml': `name: audit\non:\n  workflow_run:\n    workflows: [notify]\n    types: [completed]\njobs:\n  say:\n    runs-on: x\n    steps: [{ run: echo never }]\n`,
    });
    sim.trigger(push(1, 'good change'));
    await sim.settled();
    sim.trigger(push(2, 'broken change'));
    await sim.settled();

    expect(sim.runs.map((run) => [run.workflow, run.event, run.level, run.conclusion])).toEqual([
      ['ci', 'push', 1, 'success'],
      ['deliver', 'workflow_run', 2, 'success'],
      ['notify', 'workflow_run', 3, 'success'],
      ['ci', 'push', 1, 'failure'],
      ['deliver', 'workflow_run', 2, 'skipped'],
      ['notify', 'workflow_run', 3, 'success'],
    ]);
    expect(sim.run('deliver', 0).job('candidate').outputs).toEqual({ built: `${sha(1)} push ${sha(1)}` });
    expect(sim.run('deliver', 1).job('candidate')).toMatchObject({ result: 'skipped' });
    expect(sim.runs.filter((run) => run.workflow === 'audit')).toEqual([]);
  });

  it('environment: the job waits for the approval hook, gets the environment secrets; a rejected review fails it', async () => {
    const released: ((decision: 'approve' | 'reject') => void)[] = [];
    const sim = simulator(
      {
        'deliver.yml': [
          'name: deliver',
          'on: push',
          'jobs:',
          '  build:',
          '    runs-on: x',
          '    steps: [{ run: "echo key=${#KEY}", env: { KEY: "${{ secrets.PROD_KEY }}" } }]',
          '  production:',
          '    needs: build',
          '    runs-on: x',
          '    environment:',
          '      name: production',
          '      url: https://app.example.com',
          '    steps: [{ run: "echo key=${#KEY}", env: { KEY: "${{ secrets.PROD_KEY }}" } }]',
          '  announce:',
          '    needs: production',
          '    runs-on: x',
          '    steps: [{ run: echo live }]',
          '',
        ].join('\n'),
      },
      { environments: { production: { secrets: { PROD_KEY: 'k3y' }, approve: () => new Promise((resolve) => released.push(resolve)) } } },
    );
    const [approved] = sim.trigger(push(1));
    await sim.when((entry) => entry.kind === 'approval-requested');
    expect(approved!.job('production').status).toBe('pending');
    released.shift()!('approve');
    await sim.settled();
    const [rejected] = sim.trigger(push(2));
    await sim.when((entry) => entry.kind === 'approval-requested' && entry.run === rejected!.id);
    released.shift()!('reject');
    await sim.settled();

    expect(approved!.step('build.steps[0]').result!.stdout).toBe('key=0\n');
    expect(approved!.step('production.steps[0]').result!.stdout).toBe('key=3\n');
    expect(approved!.job('production')).toMatchObject({ result: 'success', environment: 'production', approval: 'approved', secrets: ['PROD_KEY'] });
    expect(at(sim, { run: approved!.id, kind: 'approval-decided' })).toBeLessThan(at(sim, { run: approved!.id, job: 'production', kind: 'job-started' }));
    expect(rejected!.job('production')).toMatchObject({ result: 'failure', approval: 'rejected', reason: 'the deployment to production was rejected' });
    expect(rejected!.job('announce').result).toBe('skipped');
  });

  it('refuses what it does not model, naming the workflow, job, step and key', () => {
    const make =
      (text: string, options: Partial<SimulatorOptions> = {}) =>
      () =>
        simulator({ 'x.yml': `name: x\non: push\njobs:\n  deploy:\n    runs-on: x\n${text}` }, options);
    expect(make('    services: { db: { image: postgres } }\n    steps: [{ run: make }]\n')).toThrow(
      'x.yml: jobs.deploy.services: key "services" is not modelled by the simulator (line 6)',
    );
    expect(make('    steps:\n      - run: make\n        timeout: 5\n')).toThrow('x.yml: jobs.deploy.steps[0].timeout: unknown key "timeout" (line 8)');
    expect(make('    steps: [{ run: "echo ${{ toLower(github.ref) }}" }]\n')).toThrow('x.yml: jobs.deploy.steps[0].run: unknown function toLower() (line 6)');
    expect(make('    steps: [{ uses: someone/deploy-action@v2 }]\n')).toThrow(
      'x.yml: jobs.deploy.steps[0]: uses: someone/deploy-action@v2: not an action the simulator runs',
    );
    expect(make('    steps: [{ uses: actions/setup-node@v4 }]\n')).toThrow(
      'x.yml: jobs.deploy.steps[0]: uses actions/setup-node, and the test gives no stand-in for it (options.actions)',
    );
    expect(make('    steps: [{ uses: actions/checkout@v4, with: { fetch_depth: 0 } }]\n', { actions: { 'actions/checkout': () => {} } })).toThrow(
      'x.yml: jobs.deploy.steps[0].with: actions/checkout declares no input "fetch_depth"',
    );
    expect(make('    steps: [{ uses: cutover/cutover/actions/canary-step@v1, with: { enviroment: production } }]\n')).toThrow(
      'jobs.deploy.steps[0].with: canary-step declares no input "enviroment"',
    );
    expect(
      make('    steps: [{ id: canary, uses: cutover/cutover/actions/canary-step@v1, with: { environment: production } }]\n', {
        overrides: { 'x/deploy.canary': { steps: '5' } },
      }),
    ).toThrow('override x/deploy.canary: the step sets no input "steps"');
    expect(make('    steps: [{ run: make }]\n', { overrides: { 'x/deploy.build': { steps: '5' } } })).toThrow(
      'override x/deploy.build: no such step (steps: deploy.steps[0])',
    );
    const sim = simulator({ 'x.yml': 'name: x\non: push\njobs:\n  a: { runs-on: x, steps: [{ run: make }] }\n' });
    expect(() => sim.trigger({ name: 'release' } as never)).toThrow('event release is not modelled by the simulator');
    expect(() => sim.trigger({ name: 'workflow_dispatch', workflow: 'rollback.yml' })).toThrow(
      'workflow_dispatch: no workflow rollback.yml with on: workflow_dispatch (workflows: x)',
    );
  });
});

describe('the workflow simulator and the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  beforeEach(async () => {
    gh = await startGitHubStandIn();
  });
  afterEach(async () => {
    await gh.stop();
  });

  // The step writes a check run with github.token: 201 with a write token, 403 with a read-only one.
  const gate = [
    'name: gate',
    'on: pull_request',
    'jobs:',
    '  tests:',
    '    runs-on: x',
    '    steps:',
    '      - env:',
    '          KEY: ${{ secrets.DEPLOY_KEY }}',
    '          REGION: ${{ vars.REGION }}',
    '          TOKEN: ${{ github.token }}',
    '          BODY: \'{"name":"test-gate","head_sha":"${{ github.event.pull_request.head.sha }}","conclusion":"success"}\'',
    '        run: |',
    '          echo "key=${#KEY} region=$REGION"',
    '          node -e \'fetch(process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/check-runs", { method: "POST", headers: { authorization: "token " + process.env.TOKEN, "content-type": "application/json" }, body: process.env.BODY }).then((r) => console.log("status=" + r.status))\'',
    '',
  ].join('\n');

  // The second workflow of GitHub's fork setup: it runs on workflow_run, in the base repository.
  const report = [
    'name: report',
    'on:',
    '  workflow_run:',
    '    workflows: [gate]',
    '    types: [completed]',
    'jobs:',
    '  report:',
    '    runs-on: x',
    '    steps:',
    "      - run: echo '${{ github.event.workflow_run.head_repository.full_name }} ${{ join(github.event.workflow_run.pull_requests.*.number) }} ${{ secrets.DEPLOY_KEY }}'",
    '',
  ].join('\n');

  it("each step that runs gets a token of its own: the stand-in records every request under the step's caller", async () => {
    // github.token and secrets.GITHUB_TOKEN alike; a skipped step gets none.
    const get = (variable: string) =>
      `node -e 'fetch(process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/deployments", { headers: { authorization: "token " + process.env.${variable} } }).then((r) => process.exit(r.status === 200 ? 0 : 1))'`;
    const sim = simulator(
      {
        'calls.yml': [
          'name: calls',
          'on: push',
          'jobs:',
          '  first:',
          '    runs-on: x',
          '    steps:',
          '      - id: one',
          '        env: { TOKEN: "${{ github.token }}" }',
          '        run: |',
          `          ${get('TOKEN')}`,
          `          ${get('TOKEN')}`,
          '      - id: skipped',
          '        if: failure()',
          '        run: |',
          `          ${get('TOKEN')}`,
          '  second:',
          '    needs: first',
          '    runs-on: x',
          '    steps:',
          '      - id: two',
          '        env: { SECRET: "${{ secrets.GITHUB_TOKEN }}" }',
          '        run: |',
          `          ${get('SECRET')}`,
          '',
        ].join('\n'),
      },
      { github: gh },
    );
    const [run] = sim.trigger(push(6));
    await sim.settled();

    expect(run!.conclusion).toBe('success');
    const callers = run!.steps.map((step) => step.caller);
    expect(callers).toEqual([`calls#${run!.id}/first.one`, undefined, `calls#${run!.id}/second.two`]);
    expect(gh.calls('repos/list-deployments').map((request) => request.caller)).toEqual([callers[0], callers[0], callers[2]]);
    gh.assertNoViolations();
  });

  it('a pull request from a fork gets no secrets, no variables and a read-only token; one from the repository gets them', async () => {
    const sim = simulator({ 'gate.yml': gate, 'report.yml': report }, { github: gh, secrets: { DEPLOY_KEY: 'k3y' }, vars: { REGION: 'eu' } });
    const head = { sha: sha(4), ref: 'feature' };
    const [fork] = sim.trigger({ name: 'pull_request', number: 12, head: { ...head, repo: 'someone/app' }, base: { ref: 'main' } });
    const [own] = sim.trigger({ name: 'pull_request', number: 13, head, base: { ref: 'main' } });
    await sim.settled();

    expect(fork!.job('tests')).toMatchObject({ result: 'success', token: 'read-only', secrets: [] });
    expect(fork!.step('tests.steps[0]').result!.stdout).toBe('key=0 region=\nstatus=403\n');
    expect(own!.job('tests')).toMatchObject({ token: 'write', secrets: ['DEPLOY_KEY'] });
    expect(own!.step('tests.steps[0]').result!.stdout).toBe('key=3 region=eu\nstatus=201\n');
    // workflow_run of each: the fork's run names the fork and no pull request; it runs with secrets.
    const reports = sim.runs
      .filter((run) => run.workflow === 'report')
      .map((run) => run.step('report.steps[0]').result!.stdout)
      .sort();
    expect(reports).toEqual(['octo-org/app 13 k3y\n', 'someone/app  k3y\n']);
    // Each job shows as a check run on the pull request's head, as GitHub shows jobs.
    expect(gh.store.checkRunsFor(sha(4)).map((run) => [run.name, run.status, run.conclusion])).toEqual([
      ['tests', 'completed', 'success'],
      ['tests', 'completed', 'success'],
      ['test-gate', 'completed', 'success'],
    ]);
    gh.assertNoViolations();
  });

  it('a workflow dispatched through the API starts; a push moves the branch in the stand-in', async () => {
    const sim = simulator(
      {
        'release.yml': [
          'name: release',
          'on: push',
          'jobs:',
          '  redeploy:',
          '    runs-on: x',
          '    steps:',
          '      - env: { TOKEN: "${{ github.token }}" }',
          '        run: |',
          '          node -e \'fetch(process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/actions/workflows/deploy.yml/dispatches", { method: "POST", headers: { authorization: "token " + process.env.TOKEN, "content-type": "application/json" }, body: JSON.stringify({ ref: "main", inputs: { version: "1.2.3" } }) }).then((r) => process.exit(r.status === 204 ? 0 : 1))\'',
          '',
        ].join('\n'),
        'deploy.yml': `name: deploy\non:\n  workflow_dispatch:\n    inputs:\n      version: { required: true }\njobs:\n  deploy:\n    runs-on: x\n    steps: [{ run: 'echo "\${{ inputs.version }} \${{ github.sha }}"' }]\n`,
      },
      { github: gh },
    );
    sim.trigger(push(5));
    await sim.settled();

    expect(gh.store.refs.get('heads/main')).toBe(sha(5));
    expect(sim.runs.map((run) => [run.workflow, run.event, run.conclusion])).toEqual([
      ['release', 'push', 'success'],
      ['deploy', 'workflow_dispatch', 'success'],
    ]);
    expect(sim.run('deploy').step('deploy.steps[0]').result!.stdout).toBe(`1.2.3 ${sha(5)}\n`);
    gh.assertNoViolations();
  });
});

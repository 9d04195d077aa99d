// test-gate end to end: the bundle runs real test runners (Vitest's junit reporter, pytest's
// --junitxml), reads what they wrote and reports to the GitHub stand-in.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unrequiredChecks } from '@cutover/github';
import { openapiSource } from '../scripts/openapi-subset.mjs';
import { fakeSha, makeTempDir, repoRoot, runAction, startGitHubStandIn, type GitHubStandIn, type RunActionOptions } from '@cutover/testkit';

const vitest = join(repoRoot, 'node_modules', '.bin', 'vitest');
// The outer Vitest's variables would turn the inner one into a worker of the outer run.
const cleanEnv = { VITEST: undefined, VITEST_MODE: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined, NODE_ENV: undefined, TEST: undefined };
const vitestCommand = `"${vitest}" run --globals --reporter=junit --outputFile=test-results/vitest.xml`;
const pytestCommand = 'python3 -m pytest -p no:cacheprovider --junitxml=test-results/pytest.xml';

const files = {
  vitest: {
    'src/math.test.ts': [
      "describe('math', () => {",
      "  it('adds', () => {",
      '    expect(1 + 1).toBe(2);',
      '  });',
      "  it('subtracts', () => {",
      '    expect(3 - 1).toBe(1);',
      '  });',
      "  it.skip('divides', () => {",
      '    expect(1 / 0).toBe(0);',
      '  });',
      '});',
      '',
    ].join('\n'),
  },
  pytestRed: {
    'tests/test_sample.py': [
      'import pytest',
      '',
      'def test_passes():',
      '    assert 1 + 1 == 2',
      '',
      'def test_fails():',
      '    value = 3 - 1',
      '    assert value == 1',
      '',
      '@pytest.mark.skip(reason="not yet")',
      'def test_skipped():',
      '    pass',
      '',
    ].join('\n'),
  },
  pytestGreen: {
    'tests/test_green.py': ['def test_one():', '    assert True', '', 'def test_two():', '    assert "a" in "abc"', ''].join('\n'),
  },
  pytestMany: {
    'tests/test_many.py': ['import pytest', '', '@pytest.mark.parametrize("n", range(60))', 'def test_even(n):', '    assert n % 2 == 0 and n < 0', ''].join(
      '\n',
    ),
  },
  pytestNone: { 'tests/helpers.py': 'VALUE = 1\n' },
};

async function writeProject(dir: string, project: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(project)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

let root: string;
/** JUnit files the real runners wrote once, for the runs that only read results. */
const reports = { vitestRed: '', pytestGreen: '' };

async function workspaceWith(name: string, project: Record<string, string>, directory = '.'): Promise<string> {
  const workspace = join(root, name);
  await writeProject(join(workspace, directory), project);
  return workspace;
}

/** A workspace holding a report a real runner wrote, as an earlier step would leave it. */
async function workspaceWithReport(name: string, report: string): Promise<string> {
  const workspace = join(root, name);
  await mkdir(join(workspace, 'test-results'), { recursive: true });
  await copyFile(report, join(workspace, 'test-results', 'report.xml'));
  return workspace;
}

beforeAll(async () => {
  root = await makeTempDir('cutover-test-gate-');
  const red = await workspaceWith('vitest-red', files.vitest);
  const green = await workspaceWith('pytest-green', files.pytestGreen);
  // Produced through the action itself, without a token: the reports come from the real runners.
  const redRun = await runAction('test-gate', { workspace: red, inputs: { command: vitestCommand }, env: cleanEnv });
  const greenRun = await runAction('test-gate', { workspace: green, inputs: { command: pytestCommand } });
  expect(redRun.outputs).toMatchObject({ total: '3', failed: '1' });
  expect(greenRun.outputs).toMatchObject({ total: '2', conclusion: 'success' });
  reports.vitestRed = join(red, 'test-results', 'vitest.xml');
  reports.pytestGreen = join(green, 'test-results', 'pytest.xml');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubStandIn();
});
afterEach(async () => {
  await gh.stop();
});

const requiredBoth = [
  {
    type: 'required_status_checks',
    parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context: 'test-gate' }, { context: 'cutover/line' }] },
  },
];

function github(options: RunActionOptions): RunActionOptions {
  return { apiUrl: gh.apiUrl, token: gh.token, repository: `${gh.owner}/${gh.repo}`, ...options };
}

const repository = { default_branch: 'main' };
const pushEvent = (sha: string, before: string, ref = 'refs/heads/main') => ({ eventName: 'push', sha, ref, event: { ref, before, after: sha, repository } });
function pullEvent(number: number, headSha: string, labels: string[] = []) {
  return {
    eventName: 'pull_request',
    sha: fakeSha(`merge-${number}`),
    ref: `refs/pull/${number}/merge`,
    event: {
      number,
      repository,
      pull_request: { number, head: { sha: headSha, ref: `topic-${number}` }, base: { ref: 'main' }, labels: labels.map((name) => ({ name })) },
    },
  };
}

const lineStatuses = (sha: string) => gh.store.statuses.filter((status) => status.sha === sha && status.context === 'cutover/line');
const checkRunOn = (sha: string) => gh.store.checkRunsFor(sha).filter((run) => run.name === 'test-gate');

describe('test-gate reads real runners', () => {
  it('Vitest in a working directory: totals, outputs, a failing check run on the pull request head annotated at file and line', async () => {
    const workspace = await workspaceWith('vitest-pr', files.vitest, 'web');
    const head = fakeSha('pr-1-head');
    gh.store.addPull({ number: 1, head: { sha: head, ref: 'topic-1' }, base: { ref: 'main' } });
    gh.store.setBranchRules('main', requiredBoth);
    const run = await runAction(
      'test-gate',
      github({ workspace, ...pullEvent(1, head), inputs: { command: vitestCommand, 'working-directory': 'web' }, env: cleanEnv }),
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['test-gate: 1 test failed']);
    expect(run.warnings).toEqual([]);
    const [checkRun] = checkRunOn(head);
    expect(run.outputs).toEqual({ conclusion: 'failure', total: '3', passed: '1', failed: '1', skipped: '1', 'check-run-id': String(checkRun!.id) });
    expect(checkRun).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: '1 test failed (1 passed, 1 failed, 1 skipped)', annotations_count: 1 },
    });
    expect(gh.store.checkRunsFor(fakeSha('merge-1'))).toEqual([]);
    expect(gh.store.annotations.get(checkRun!.id as number)).toEqual([
      expect.objectContaining({
        path: 'web/src/math.test.ts',
        start_line: 6,
        end_line: 6,
        annotation_level: 'failure',
        message: 'expected 2 to be 1 // Object.is equality',
        title: 'src/math.test.ts › math > subtracts',
      }),
    ]);
    // Main has no verdict yet: the pull request's own line status lets it through.
    expect(lineStatuses(head)).toEqual([expect.objectContaining({ state: 'success', description: 'no gate verdict on main yet' })]);
    expect(run.summary).toContain('| 3 | 1 | 1 | 1 |');
    expect(run.summary).toContain('- **src/math.test.ts › math > subtracts** — `web/src/math.test.ts:6`');
    gh.assertNoViolations();
  });

  it('pytest on a topic branch: the traceback line is annotated, no line statuses, and an unenforced gate is warned about', async () => {
    const workspace = await workspaceWith('pytest-topic', files.pytestRed);
    const sha = fakeSha('topic-push');
    const run = await runAction(
      'test-gate',
      github({ workspace, ...pushEvent(sha, fakeSha('topic-before'), 'refs/heads/topic'), inputs: { command: pytestCommand } }),
    );

    expect(run.outputs).toMatchObject({ conclusion: 'failure', total: '3', passed: '1', failed: '1', skipped: '1' });
    const [checkRun] = checkRunOn(sha);
    expect(gh.store.annotations.get(checkRun!.id as number)).toEqual([
      expect.objectContaining({ path: 'tests/test_sample.py', start_line: 8, message: 'assert 2 == 1', title: 'tests.test_sample › test_fails' }),
    ]);
    expect(gh.store.statuses).toEqual([]);
    expect(gh.calls('pulls/list')).toEqual([]);
    expect(run.warnings).toEqual([
      'the gate is not enforced: no rule of main requires the check test-gate (apply examples/rulesets/protect-default-branch.json)',
      'no rule of main requires cutover/line: a red main does not hold pull requests back',
    ]);
    expect(run.summary).toContain('the gate is not enforced');
    gh.assertNoViolations();
  });

  it('sends more than 50 annotations in batches of 50: the create, then an update', async () => {
    const workspace = await workspaceWith('pytest-many', files.pytestMany);
    const sha = fakeSha('many');
    const run = await runAction(
      'test-gate',
      github({ workspace, ...pushEvent(sha, fakeSha('many-before'), 'refs/heads/topic'), inputs: { command: pytestCommand } }),
    );

    expect(run.outputs).toMatchObject({ total: '60', failed: '60', conclusion: 'failure' });
    const writes = [...gh.calls('checks/create'), ...gh.calls('checks/update')];
    expect(writes.map((call) => ((call.body as { output: { annotations: unknown[] } }).output.annotations ?? []).length)).toEqual([50, 10]);
    const annotations = gh.store.annotations.get(checkRunOn(sha)[0]!.id as number)!;
    expect(annotations).toHaveLength(60);
    expect(new Set(annotations.map((a) => `${String(a.path)}:${String(a.start_line)}`))).toEqual(new Set(['tests/test_many.py:5']));
    gh.assertNoViolations();
  });
});

describe('test-gate fails what is not green', () => {
  it('"no tests ran" is a failure (pytest collecting nothing)', async () => {
    const workspace = await workspaceWith('pytest-none', files.pytestNone);
    const run = await runAction(
      'test-gate',
      github({ workspace, ...pushEvent(fakeSha('none'), fakeSha('none-before'), 'refs/heads/topic'), inputs: { command: pytestCommand } }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ conclusion: 'failure', total: '0' });
    expect(run.errors).toEqual(['test-gate: the results count no tests: no tests ran']);
    expect(checkRunOn(fakeSha('none'))[0]).toMatchObject({
      conclusion: 'failure',
      output: { title: 'the results count no tests: no tests ran (no tests ran)' },
    });
    gh.assertNoViolations();
  });

  it('a failing command without results is a failure', async () => {
    const workspace = await workspaceWith('crash', {});
    const run = await runAction(
      'test-gate',
      github({
        workspace,
        ...pushEvent(fakeSha('crash'), fakeSha('crash-before'), 'refs/heads/topic'),
        inputs: { command: 'echo "runner crashed" >&2; exit 3' },
      }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['test-gate: the command failed with exit code 3 and wrote no results matching test-results/**/*.xml']);
    expect(run.outputs).toMatchObject({ conclusion: 'failure', total: '0' });
    gh.assertNoViolations();
  });

  it('one bad report among good ones fails the gate naming it (and its line); the others are still counted and annotated', async () => {
    const workspace = await workspaceWithReport('bad-among-good', reports.vitestRed);
    await copyFile(reports.pytestGreen, join(workspace, 'test-results', 'pytest.xml'));
    await writeFile(
      join(workspace, 'test-results', 'xxe.xml'),
      '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<testsuites><testsuite name="&xxe;"><testcase name="x"/></testsuite></testsuites>\n',
    );
    // A runner that writes file:// URIs, in Latin-1: the annotation still lands on the repository path.
    const uri = pathToFileURL(join(workspace, 'spec', 'café_spec.js')).href;
    expect(uri).toMatch(/\/spec\/caf%C3%A9_spec\.js$/);
    await writeFile(
      join(workspace, 'test-results', 'uri.xml'),
      Buffer.from(
        `<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite name="spec"><testcase name="caf\u00e9 pays" classname="spec" file="${uri}"><failure message="expected 1">at ${uri}:4:7</failure></testcase></testsuite>\n`,
        'latin1',
      ),
    );
    const sha = fakeSha('bad-among-good');
    const run = await runAction('test-gate', github({ workspace, ...pushEvent(sha, fakeSha('bad-among-good-before'), 'refs/heads/topic') }));

    const bad =
      'test-results/xxe.xml: refused at line 3: an external entity (<!ENTITY … SYSTEM or PUBLIC>), which could read files or URLs; a test report needs none';
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`test-gate: ${bad}; 2 tests failed`]);
    expect(run.outputs).toMatchObject({ conclusion: 'failure', total: '6', passed: '3', failed: '2', skipped: '1' });
    const [checkRun] = checkRunOn(sha);
    expect(checkRun).toMatchObject({ conclusion: 'failure', output: { title: `${bad} (3 passed, 2 failed, 1 skipped)` } });
    expect(gh.store.annotations.get(checkRun!.id as number)).toEqual([
      expect.objectContaining({ path: 'src/math.test.ts', start_line: 6, message: 'expected 2 to be 1 // Object.is equality' }),
      expect.objectContaining({ path: 'spec/café_spec.js', start_line: 4, message: 'expected 1', title: 'spec › café pays' }),
    ]);
    expect(run.summary).toContain(`- ❌ ${bad}`);
    expect(run.summary).toContain('| 6 | 3 | 2 | 1 |');
    gh.assertNoViolations();
  });

  it('refuses a bad input by name before running anything', async () => {
    const workspace = await workspaceWith('bad-input', {});
    const run = await runAction('test-gate', github({ workspace, inputs: { command: 'touch ran', 'stop-the-line': 'maybe' } }));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['stop-the-line: expected true or false, got "maybe"']);
    expect(existsSync(join(workspace, 'ran'))).toBe(false);
    expect(run.outputs).toEqual({});
    expect(gh.requests).toEqual([]);
  });

  it('without a token: runs, reads, outputs and summarizes, and says the records were skipped', async () => {
    const workspace = await workspaceWithReport('no-token', reports.pytestGreen);
    const run = await runAction('test-gate', { workspace, ...pullEvent(9, fakeSha('no-token')) });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ conclusion: 'success', total: '2', passed: '2', failed: '0', skipped: '0', 'check-run-id': '' });
    expect(run.notices).toEqual([
      expect.stringContaining('No GitHub token: the check run, the cutover/line statuses and the state of the default branch were skipped'),
    ]);
    expect(run.summary).toContain('**✅ The gate is green.**');
  });
});

describe('test-gate when GitHub refuses a record', () => {
  it('a refused check run (a fork’s read-only token) is warned about; the tests still decide', async () => {
    gh.store.setBranchRules('main', requiredBoth);
    const workspace = await workspaceWithReport('refused', reports.pytestGreen);
    gh.failNext('POST', '/repos/{owner}/{repo}/check-runs', 403);
    const run = await runAction('test-gate', github({ workspace, ...pushEvent(fakeSha('refused'), fakeSha('refused-before'), 'refs/heads/topic') }));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ conclusion: 'success', total: '2', 'check-run-id': '' });
    expect(run.warnings).toEqual([expect.stringMatching(/^could not write the check run test-gate: /)]);
    expect(run.summary).toContain('- ⚠️ could not write the check run test-gate');
    expect(gh.store.checkRuns).toEqual([]);
  });
});

describe('test-gate on a pull request from a fork', () => {
  it('with the read-only token a fork gets, reports the failures as workflow-command annotations on the job, escaped', async () => {
    const workspace = await workspaceWith('fork-red', files.vitest, 'web');
    const head = fakeSha('fork-head');
    gh.store.addPull({ number: 7, head: { sha: head, ref: 'contributor:fix' }, base: { ref: 'main' } });
    gh.store.setBranchRules('main', requiredBoth);
    const run = await runAction('test-gate', {
      ...github({ workspace, ...pullEvent(7, head), inputs: { command: vitestCommand, 'working-directory': 'web' }, env: cleanEnv }),
      token: gh.readOnlyToken,
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ conclusion: 'failure', failed: '1', 'check-run-id': '' });
    // GitHub refused the check run (403): the failure goes out as a workflow command instead.
    expect(gh.store.checkRuns).toEqual([]);
    expect(run.warnings).toEqual([
      'could not write the check run test-gate: Resource not accessible by integration - https://docs.github.com/rest',
      `could not write cutover/line on ${head.slice(0, 7)}: Resource not accessible by integration - https://docs.github.com/rest`,
    ]);
    const annotations = run.commands.filter((command) => command.command === 'error' && command.properties.file);
    expect(annotations).toEqual([
      expect.objectContaining({
        command: 'error',
        properties: { title: 'src/math.test.ts › math > subtracts', file: 'web/src/math.test.ts', line: '6', endLine: '6' },
        message: 'expected 2 to be 1 // Object.is equality',
      }),
    ]);
    expect(run.stdout).toContain('1 failure annotation written as workflow commands on the job instead of the check run');
    expect(run.errors.at(-1)).toBe('test-gate: 1 test failed');
    gh.assertNoViolations();
  });
});

describe('test-gate stops the line', () => {
  it('a red main marks open pull requests, holds pull requests back unless labelled fix-the-line, and clears when green', async () => {
    const [m1, m2, m3, m0] = ['m1', 'm2', 'm3', 'm0'].map((name) => fakeSha(name)) as [string, string, string, string];
    const heads = Object.fromEntries([1, 2, 3, 4, 5].map((number) => [number, fakeSha(`head-${number}`)]));
    gh.store.addPull({ number: 1, head: { sha: heads[1]!, ref: 'topic-1' }, base: { ref: 'main' } });
    gh.store.addPull({ number: 2, head: { sha: heads[2]!, ref: 'topic-2' }, base: { ref: 'main' } });
    gh.store.addPull({ number: 3, head: { sha: heads[3]!, ref: 'topic-3' }, base: { ref: 'release' } });
    gh.store.setBranchRules('main', requiredBoth);
    const red = await workspaceWithReport('line-red', reports.vitestRed);
    const green = await workspaceWithReport('line-green', reports.pytestGreen);
    const runUrl = 'https://github.com/octo-org/app/actions/runs/1001';

    // 1. A push breaks main: every open pull request into main gets a failing cutover/line.
    gh.store.setRef('heads/main', m1);
    const broken = await runAction('test-gate', github({ workspace: red, ...pushEvent(m1, m0) }));
    expect(broken.outputs.conclusion).toBe('failure');
    expect(checkRunOn(m1)[0]).toMatchObject({ conclusion: 'failure', external_id: `cutover-line:red:${m1}` });
    for (const number of [1, 2]) {
      expect(lineStatuses(heads[number]!)).toEqual([
        expect.objectContaining({ state: 'failure', description: `main is broken since ${m1.slice(0, 7)}: ${runUrl}`, target_url: runUrl }),
      ]);
    }
    expect(lineStatuses(heads[3]!)).toEqual([]);

    // 2. Still red on the next push: broken since the first red commit.
    gh.store.setRef('heads/main', m2);
    await runAction('test-gate', github({ workspace: red, ...pushEvent(m2, m1) }));
    expect(checkRunOn(m2)[0]).toMatchObject({ external_id: `cutover-line:red:${m1}` });
    expect(lineStatuses(heads[1]!).map((status) => status.description)).toEqual([
      `main is broken since ${m1.slice(0, 7)}: ${runUrl}`,
      `main is broken since ${m1.slice(0, 7)}: ${runUrl}`,
    ]);

    // A job named test-gate has its own check run of that name, without the gate's mark, finishing last.
    const jobRun = await fetch(`${gh.apiUrl}/repos/${gh.owner}/${gh.repo}/check-runs`, {
      method: 'POST',
      headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'test-gate', head_sha: m2, conclusion: 'failure' }),
    });
    expect(jobRun.status).toBe(201);

    // 3. A green pull request is held back while main is red (since m1, as the gate's mark says).
    gh.store.addPull({ number: 4, head: { sha: heads[4]!, ref: 'topic-4' }, base: { ref: 'main' } });
    const held = await runAction('test-gate', github({ workspace: green, ...pullEvent(4, heads[4]!) }));
    expect(held.exitCode).toBe(1);
    expect(held.outputs).toMatchObject({ conclusion: 'failure', total: '2', failed: '0' });
    expect(held.errors).toEqual([`test-gate: main is broken since ${m1.slice(0, 7)}: fix main first, or label the fix fix-the-line`]);
    expect(checkRunOn(heads[4]!)[0]).toMatchObject({ conclusion: 'failure' });
    expect(lineStatuses(heads[4]!)).toEqual([expect.objectContaining({ state: 'failure' })]);

    // 4. The fix carries fix-the-line (added after the event: the label is read now): let through.
    gh.store.addPull({ number: 5, head: { sha: heads[5]!, ref: 'topic-5' }, base: { ref: 'main' }, labels: ['fix-the-line'] });
    const fix = await runAction('test-gate', github({ workspace: green, ...pullEvent(5, heads[5]!) }));
    expect(fix.exitCode).toBe(0);
    expect(fix.outputs.conclusion).toBe('success');
    expect(lineStatuses(heads[5]!)).toEqual([
      expect.objectContaining({ state: 'success', description: `main is broken since ${m1.slice(0, 7)}; let through by the fix-the-line label` }),
    ]);
    expect(fix.summary).toContain('this pull request carries fix-the-line, so the line lets it through');

    // 5. The fix lands and main is green: every open pull request into main gets a success.
    gh.store.setRef('heads/main', m3);
    const healed = await runAction('test-gate', github({ workspace: green, ...pushEvent(m3, m2) }));
    expect(healed.outputs.conclusion).toBe('success');
    expect(checkRunOn(m3)[0]).toMatchObject({ conclusion: 'success', external_id: 'cutover-line:green' });
    for (const number of [1, 2, 4, 5]) {
      expect(lineStatuses(heads[number]!).at(-1)).toMatchObject({ state: 'success', description: `main is green at ${m3.slice(0, 7)}` });
    }
    expect(lineStatuses(heads[3]!)).toEqual([]);

    // 6. The held pull request passes on its re-run.
    const rerun = await runAction('test-gate', github({ workspace: green, ...pullEvent(4, heads[4]!) }));
    expect(rerun.outputs.conclusion).toBe('success');
    expect([...broken.warnings, ...held.warnings, ...fix.warnings, ...healed.warnings, ...rerun.warnings]).toEqual([]);
    gh.assertNoViolations();
  });

  it('a merge group is held back while main is red; with stop-the-line false nothing is', async () => {
    gh.store.setRef('heads/main', fakeSha('mg-main'));
    gh.store.setBranchRules('main', requiredBoth);
    const red = await workspaceWithReport('mg-red', reports.vitestRed);
    const green = await workspaceWithReport('mg-green', reports.pytestGreen);
    await runAction('test-gate', github({ workspace: red, ...pushEvent(fakeSha('mg-main'), fakeSha('mg-before')) }));
    gh.store.addPull({ number: 8, head: { sha: fakeSha('head-8'), ref: 'topic-8' }, base: { ref: 'main' } });
    const queueSha = fakeSha('queue');
    const mergeGroup = {
      eventName: 'merge_group',
      sha: queueSha,
      ref: `refs/heads/gh-readonly-queue/main/pr-8-${fakeSha('mg-main')}`,
      event: {
        repository,
        merge_group: {
          head_sha: queueSha,
          head_ref: `refs/heads/gh-readonly-queue/main/pr-8-${fakeSha('mg-main')}`,
          base_ref: 'refs/heads/main',
          base_sha: fakeSha('mg-main'),
        },
      },
    };
    const held = await runAction('test-gate', github({ workspace: green, ...mergeGroup }));
    expect(held.outputs.conclusion).toBe('failure');
    expect(checkRunOn(queueSha)[0]).toMatchObject({ conclusion: 'failure' });
    expect(lineStatuses(queueSha)).toEqual([expect.objectContaining({ state: 'failure' })]);

    const free = await runAction('test-gate', github({ workspace: green, ...mergeGroup, inputs: { 'stop-the-line': 'false' } }));
    expect(free.outputs.conclusion).toBe('success');
    expect(lineStatuses(queueSha)).toHaveLength(1);
    gh.assertNoViolations();
  });
});

describe('examples/rulesets/protect-default-branch.json', () => {
  it("is a valid body of GitHub's POST /repos/{owner}/{repo}/rulesets, requiring test-gate and cutover/line", { timeout: 300_000 }, async () => {
    // GitHub's whole description, fetched at its pinned version (scripts/openapi-subset.mjs).
    const spec = JSON.parse(await readFile(openapiSource('api.github.com.deref.json'), 'utf8'));
    const schema = spec.paths['/repos/{owner}/{repo}/rulesets'].post.requestBody.content['application/json'].schema;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const ruleset = JSON.parse(await readFile(join(repoRoot, 'examples/rulesets/protect-default-branch.json'), 'utf8'));
    expect(validate(ruleset), JSON.stringify(validate.errors)).toBe(true);
    expect(ruleset.conditions.ref_name.include).toEqual(['~DEFAULT_BRANCH']);
    expect(unrequiredChecks(ruleset.rules, ['test-gate', 'cutover/line'])).toEqual([]);
  });
});

describe('test-gate wants a test for every bug', () => {
  it('fails a bug-labelled pull request that changes no test, and passes one that does', async () => {
    gh.store.setBranchRules('main', requiredBoth);
    const green = await workspaceWithReport('bug', reports.pytestGreen);
    gh.store.addPull({
      number: 11,
      head: { sha: fakeSha('bug-11'), ref: 'fix-11' },
      base: { ref: 'main' },
      labels: ['bug'],
      files: [
        { filename: 'src/app.py', status: 'modified' },
        { filename: 'tests/test_old.py', status: 'removed' },
      ],
    });
    gh.store.addPull({
      number: 12,
      head: { sha: fakeSha('bug-12'), ref: 'fix-12' },
      base: { ref: 'main' },
      labels: ['bug'],
      files: [
        { filename: 'src/app.py', status: 'modified' },
        { filename: 'tests/test_app.py', status: 'added' },
      ],
    });

    const untested = await runAction('test-gate', github({ workspace: green, ...pullEvent(11, fakeSha('bug-11')) }));
    expect(untested.exitCode).toBe(1);
    expect(untested.errors).toEqual([
      expect.stringMatching(
        /^test-gate: this pull request is labelled bug but changes no test \(2 changed files, none matching test-paths: .*\): add a test that fails without the fix$/,
      ),
    ]);
    expect(checkRunOn(fakeSha('bug-11'))[0]).toMatchObject({ conclusion: 'failure' });

    const tested = await runAction('test-gate', github({ workspace: green, ...pullEvent(12, fakeSha('bug-12')) }));
    expect(tested.exitCode).toBe(0);
    expect(tested.summary).toContain('bug fix with tests: tests/test_app.py');
    expect(gh.calls('pulls/list-files')).toHaveLength(2);
    gh.assertNoViolations();
  });
});

// The GitHub-call budget (#15): examples/workflows/deliver.yml through the workflow simulator, as
// test/deliver.test.ts runs it (its set-up, test/deliver-setup.ts), for a good release and for a bad
// one aborted by the canary and rolled back. Every step gets a token of its own from the GitHub
// stand-in, which records each request under the step that made it: the calls of each action (its
// post step included), of each REST operation, and of the whole run, against GITHUB_TOKEN's budget.
import { rm } from 'node:fs/promises';
import { type GitHubStandIn, type RecordedRequest, type RunRecord, startGitHubStandIn } from '@cutover/testkit';
import {
  type Change,
  ciCompleted,
  DELIVER,
  type DeliverBackends,
  deliverEnvironments,
  deliverSimulator,
  pushDeliverChange,
  startDeliverBackends,
  startDeliverRouters,
  stopDeliverBackends,
} from '../test/deliver-setup.js';

/**
 * GitHub's primary rate limit for GITHUB_TOKEN in GitHub Actions: 1,000 REST requests per hour per
 * repository (15,000 for resources of a GitHub Enterprise Cloud enterprise account).
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#primary-rate-limit-for-github_token-in-github-actions
 */
export const GITHUB_TOKEN_HOURLY_LIMIT = 1_000;

interface Scenario {
  name: string;
  change: Change;
  /** How production's last deployment (1.0.0, on the stable pool) was recorded. */
  previous: 'blue-green' | 'canary';
  /** Share of the canary pool's requests that fail. */
  canaryErrorRate: number;
  /** The step outcomes the run must end with, or the figures count something else. */
  expect: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  {
    // As test/deliver.test.ts seeds it: production's last deployment is blue-green-switch's.
    name: 'good release',
    change: { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } },
    previous: 'blue-green',
    canaryErrorRate: 0,
    expect: { 'production.canary': 'success', 'production.Release what was tested': 'success', 'production.rollback': 'skipped' },
  },
  {
    // The pipeline's steady state: production's last deployment is the previous release's canary.
    name: 'good release after a canary',
    change: { message: 'Sort search results', author: { name: 'Ana Lima', email: 'ana@example.com' } },
    previous: 'canary',
    canaryErrorRate: 0,
    expect: { 'production.canary': 'success', 'production.Release what was tested': 'success', 'production.rollback': 'skipped' },
  },
  {
    name: 'bad release, rolled back',
    change: { message: 'Cache product pages for an hour', author: { name: 'Bo Chen', email: 'bo@example.com' } },
    previous: 'blue-green',
    canaryErrorRate: 0.2,
    expect: { 'production.canary': 'failure', 'production.Release what was tested': 'skipped', 'production.rollback': 'success' },
  },
];

export interface StepCalls {
  /** `<job>.<step>` as the workflow names it. */
  step: string;
  /** Our action (`canary-step`), or the `uses:` of another's. */
  action: string;
  /** REST calls of the main step, of its post step, and both. */
  main: number;
  post: number;
  calls: number;
  /** The same calls by operation, e.g. `{"repos/list-deployments": 2}`. */
  operations: Record<string, number>;
}

/** The calls of one run, from the stand-in's records: each request under the step whose token it carried. */
export function countCalls(run: RunRecord, requests: RecordedRequest[]) {
  const owners = new Map<string, { step: StepCalls; post: boolean }>();
  const steps: StepCalls[] = [];
  for (const record of run.steps) {
    if (!record.caller) continue;
    const step: StepCalls = {
      step: record.key,
      action: record.action ?? record.uses?.replace(/@.*$/, '') ?? 'run',
      main: 0,
      post: 0,
      calls: 0,
      operations: {},
    };
    steps.push(step);
    owners.set(record.caller, { step, post: false });
    owners.set(`${record.caller} post`, { step, post: true });
  }
  const operations: Record<string, number> = {};
  let unattributed = 0;
  let downloads = 0;
  let reads = 0;
  for (const request of requests) {
    const owner = request.caller === undefined ? undefined : owners.get(request.caller);
    if (!owner) {
      unattributed += 1;
      continue;
    }
    // Release asset bytes come from GitHub's storage (a redirect), not from the REST API.
    if (request.operationId === undefined) {
      downloads += 1;
      continue;
    }
    const { step, post } = owner;
    if (post) step.post += 1;
    else step.main += 1;
    step.calls += 1;
    step.operations[request.operationId] = (step.operations[request.operationId] ?? 0) + 1;
    operations[request.operationId] = (operations[request.operationId] ?? 0) + 1;
    if (request.method === 'GET') reads += 1;
  }
  const calls = steps.reduce((sum, step) => sum + step.calls, 0);
  return {
    calls,
    reads,
    writes: calls - reads,
    shareOfHourlyLimit: calls / GITHUB_TOKEN_HOURLY_LIMIT,
    runsPerHour: calls === 0 ? null : Math.floor(GITHUB_TOKEN_HOURLY_LIMIT / calls),
    steps: steps.filter((step) => step.calls > 0),
    operations: Object.fromEntries(Object.entries(operations).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    assetDownloads: downloads,
    /** Requests of the run that carried no step's token: 0, or the figures miss some. */
    unattributed,
  };
}

async function deliverOnce(backends: DeliverBackends, scenario: Scenario) {
  for (const backend of [backends.green, ...backends.canary]) backend.setErrorRate(0);
  for (const backend of backends.canary) backend.setErrorRate(scenario.canaryErrorRate);
  const routers = await startDeliverRouters(backends);
  let gh: GitHubStandIn | undefined;
  let origin: string | undefined;
  let sim: ReturnType<typeof deliverSimulator> | undefined;
  try {
    gh = await startGitHubStandIn();
    const pushed = await pushDeliverChange(gh, deliverEnvironments(backends, routers, { canaryStepDuration: '2s' }), scenario.change, true, scenario.previous);
    origin = pushed.origin;
    sim = deliverSimulator(gh, backends.receivers, [DELIVER], origin);
    // The push's set-up (the gate's check run, the release an hour ago) is not the run's.
    const first = gh.requests.length;
    const started = performance.now();
    sim.trigger(ciCompleted(pushed.sha));
    await sim.settled();
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const run = sim.run('deliver');
    const outcomes = Object.fromEntries(Object.keys(scenario.expect).map((key) => [key, run.step(key).outcome]));
    if (JSON.stringify(outcomes) !== JSON.stringify(scenario.expect))
      throw new Error(`${scenario.name}: the run ended ${JSON.stringify(outcomes)}, not ${JSON.stringify(scenario.expect)}:\n${sim.describe().join('\n')}`);
    gh.assertNoViolations();
    const counted = countCalls(run, gh.requests.slice(first));
    console.log(
      `${scenario.name}: ${counted.calls} GitHub calls (${counted.reads} reads, ${counted.writes} writes), ${(counted.shareOfHourlyLimit * 100).toFixed(1)}% of ${GITHUB_TOKEN_HOURLY_LIMIT}/hour; ${seconds} s`,
    );
    for (const step of counted.steps)
      console.log(`  ${step.step} (${step.action}): ${step.main}${step.post ? ` + ${step.post} post` : ''}  ${JSON.stringify(step.operations)}`);
    // BUDGET_TRACE=1: every request of the run in order, with its caller, to see where calls go.
    if (process.env.BUDGET_TRACE)
      for (const request of gh.requests.slice(first))
        console.log(
          `    ${request.caller ?? '-'}: ${request.method} ${request.path}${Object.keys(request.query).length ? `?${new URLSearchParams(request.query)}` : ''} ${request.status}`,
        );
    return { scenario: scenario.name, seconds, ...counted };
  } finally {
    await sim?.dispose();
    await gh?.stop();
    await routers.nginx.stop();
    await routers.haproxy.stop();
    if (origin) await rm(origin, { recursive: true, force: true });
  }
}

export async function run() {
  const backends = await startDeliverBackends();
  try {
    const runs = [];
    for (const scenario of SCENARIOS) runs.push(await deliverOnce(backends, scenario));
    return {
      what: "GitHub REST calls of one run of examples/workflows/deliver.yml (candidate, staging, production jobs) in the workflow simulator, per step (main + post) and per operation, counted by the GitHub stand-in from each step's own token",
      hourlyLimit: GITHUB_TOKEN_HOURLY_LIMIT,
      goal: { goodReleaseCalls: 40 },
      runs,
    };
  } finally {
    await stopDeliverBackends(backends);
  }
}

// delivery-metrics on real volumes: 1,000 deployments in a 30-day window (950 releases, 50 of them
// rolled back with an incident each, 50 rollbacks), 5,000 commits, 200 deployments before the
// window, in the GitHub stand-in. Two runs:
// (On loopback most of a request's time is the shared client's retry and throttling plugins,
// about 20 ms each as measured here, against 2 ms for a bare Octokit: they are kept for GitHub.)
//   action: the bundle as the runner runs it (a local API is not spaced): time and requests;
//   paced like GitHub: the same reading in this process with requests 67 ms apart, as towards
//   api.github.com, and the most requests seen in any 60 s (GitHub's secondary limit: 900 points).
import { createGitHubClient } from '@cutover/github';
import { GITHUB_MIN_INTERVAL_MS, parseMetricsInputs, runDeliveryMetrics } from '@cutover/metrics';
import { fakeSha, makeTempDir, runAction, startGitHubStandIn, type GitHubStandIn, type RecordedRequest } from '@cutover/testkit';
import { seedCommits, seedDeployment, seedIncident, type Seeded } from '../test/metrics-fixtures.js';

const DAY = 86_400_000;
const RELEASES = 950;
const ROLLED_BACK_EVERY = 19; // 50 of 950
const COMMITS = 5_000;
const BEFORE = 200;
const UNTIL = Date.parse('2026-11-30T00:00:00Z');
const SINCE = UNTIL - 30 * DAY;

async function seed(gh: GitHubStandIn) {
  const started = performance.now();
  let previous: Seeded | undefined;
  for (let index = 0; index < BEFORE; index++) {
    const at = SINCE - (BEFORE - index) * 3 * 3_600_000;
    previous = await seedDeployment(gh, { name: `old-${index}`, created: at, statuses: [['success', at + 60_000]] });
  }
  let commits = 0;
  let rollbacks = 0;
  const step = (30 * DAY) / (RELEASES + 1);
  for (let index = 0; index < RELEASES; index++) {
    const at = Math.round(SINCE + (index + 0.5) * step);
    const bad = index % ROLLED_BACK_EVERY === ROLLED_BACK_EVERY - 1;
    const release = await seedDeployment(gh, {
      name: `v${index}`,
      created: at,
      statuses: bad
        ? [
            ['success', at + 60_000],
            ['failure', at + 20 * 60_000],
          ]
        : [['success', at + 60_000]],
    });
    // 5,000 commits over 950 releases: 5 or 6 each, in the hours before.
    const count = Math.floor(((index + 1) * COMMITS) / RELEASES) - Math.floor((index * COMMITS) / RELEASES);
    seedCommits(
      gh,
      previous!.sha,
      release.sha,
      Array.from({ length: count }, (_, n) => [`v${index}-c${n}`, at - (count - n) * 45 * 60_000] as [string, number]),
    );
    commits += count;
    previous = release;
    if (bad) {
      // Rolled back to the release before it: the next release compares from that commit.
      const good = `v${index - 1}`;
      const rollback = await seedDeployment(gh, {
        name: `rollback-${index}`,
        sha: fakeSha(good),
        task: 'rollback',
        payload: { version: good, rolledBackFrom: release.id },
        created: at + 19 * 60_000,
        statuses: [['success', at + 20 * 60_000 + 30_000]],
      });
      rollbacks += 1;
      await seedIncident(gh, {
        title: `Incident: production rolled back from v${index}`,
        body: `<!-- cutover-incident deployment=${release.id} environment=production -->\nrolled back`,
        opened: at + 21 * 60_000,
      });
      previous = rollback;
    }
  }
  return { seedMs: Math.round(performance.now() - started), releases: RELEASES, rollbacks, deploymentsInWindow: RELEASES + rollbacks, before: BEFORE, commits };
}

function byOperation(requests: readonly RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) counts[request.operationId ?? 'unknown'] = (counts[request.operationId ?? 'unknown'] ?? 0) + 1;
  return counts;
}

/** The most requests that arrived within any 60 s. */
function peakPerMinute(requests: readonly RecordedRequest[]): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 60_000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

export async function run(): Promise<object> {
  const gh = await startGitHubStandIn();
  try {
    const seeded = await seed(gh);
    console.log(`seeded in ${seeded.seedMs} ms: ${JSON.stringify(seeded)}`);
    const inputs = { environment: 'production', since: '30d', until: new Date(UNTIL).toISOString() };

    gh.requests.length = 0;
    const started = performance.now();
    const result = await runAction('delivery-metrics', { inputs, apiUrl: gh.apiUrl, token: gh.token, repository: `${gh.owner}/${gh.repo}` });
    const actionMs = Math.round(performance.now() - started);
    if (result.exitCode !== 0) throw new Error(`delivery-metrics failed: ${result.errors.join('; ')}`);
    const action = { ms: actionMs, requests: gh.requests.length, byOperation: byOperation(gh.requests), outputs: result.outputs };
    console.log(JSON.stringify(action, null, 2));

    gh.requests.length = 0;
    const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
    const pacedStart = performance.now();
    const paced = await runDeliveryMetrics({
      client,
      repo: { owner: gh.owner, repo: gh.repo },
      inputs: parseMetricsInputs((name) => (inputs as Record<string, string>)[name] ?? '', Date.now()),
      workspace: await makeTempDir('cutover-bench-metrics-'),
      defaultDirectory: await makeTempDir('cutover-bench-metrics-out-'),
      now: Date.now(),
      reader: { minIntervalMs: GITHUB_MIN_INTERVAL_MS },
    });
    const pacedLikeGitHub = {
      minIntervalMs: GITHUB_MIN_INTERVAL_MS,
      ms: Math.round(performance.now() - pacedStart),
      requests: gh.requests.length,
      peakRequestsPerMinute: peakPerMinute(gh.requests),
      sameFigures: (['deployment-frequency', 'lead-time', 'change-failure-rate', 'time-to-restore'] as const).every(
        (key) => paced.outputs[key] === result.outputs[key],
      ),
    };
    console.log(JSON.stringify(pacedLikeGitHub, null, 2));
    gh.assertNoViolations();
    return {
      what: 'delivery-metrics over 1,000 deployments and 5,000 commits in a 30-day window in the GitHub stand-in: the bundle (a local API is not spaced), then the same reading paced 67 ms apart as towards GitHub',
      history: seeded,
      action,
      pacedLikeGitHub,
      expected: {
        'deployment-frequency': Number((RELEASES / 30).toFixed(4)),
        'change-failure-rate': Number((seeded.rollbacks / RELEASES).toFixed(4)),
        // Commits 45 min apart before each release, which succeeds a minute after its creation:
        // 950 each at 46, 91, 136, 181 and 226 min, 250 at 271 min; the median is the 136-min one.
        'lead-time': 136 * 60,
        // Each rollback is requested 19 min after its release and succeeds at 20.5 min.
        'time-to-restore': 90,
      },
    };
  } finally {
    await gh.stop();
  }
}

export default run;

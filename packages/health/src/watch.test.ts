import { describe, expect, it } from 'vitest';
import type { Check, LookContext, PoolLook, RequestOutcome } from './check.js';
import { manualClock } from './clock.js';
import { defaultDeadline, describePlans, finiteLook, watch, watchSettings, type WatchOptions } from './watch.js';

type Script = (look: number, context: LookContext) => Partial<PoolLook>[] | Error;

/** A value check whose looks a script gives, look by look: the engine without I/O. */
function scripted(name: string, script: Script, now = () => 0): Check {
  let look = 0;
  return {
    name,
    kind: 'command',
    main: false,
    threshold: '<= 1',
    unit: '',
    measures: 'value',
    needsBaseline: false,
    async look(context) {
      look += 1;
      const result = script(look, context);
      if (result instanceof Error) throw result;
      return result.map((fields) => ({ check: name, kind: 'command', role: 'target', pool: context.pool, outcome: 'pass', value: 1, at: now(), ...fields }));
    },
  };
}

/** A request check: `make(look, index, role)` gives each request; `count` requests per pool per look unless the watch sizes them. */
function requestsCheck(
  name: string,
  make: (look: number, index: number, role: PoolLook['role']) => RequestOutcome,
  options: { count?: number; probes?: boolean; now?: () => number; seen?: LookContext[] } = {},
): Check {
  let look = 0;
  return {
    name,
    kind: 'http',
    main: true,
    threshold: 'status 200',
    unit: 'ms',
    measures: 'requests',
    limits: { maxErrorRate: 0.02, latencyFloorMs: 1 },
    ...(options.probes ? { probes: { maxRate: 100 } } : {}),
    needsBaseline: false,
    async look(context) {
      look += 1;
      options.seen?.push(context);
      const count = options.count ?? context.requests ?? 1;
      const roles: [PoolLook['role'], string][] = [
        ['target', context.pool],
        ...(context.baselinePool ? [['baseline', context.baselinePool] as [PoolLook['role'], string]] : []),
      ];
      return roles.map(([role, pool]) => ({
        check: name,
        kind: 'http',
        role,
        pool,
        at: options.now?.() ?? 0,
        outcome: 'pass',
        requests: Array.from({ length: count }, (_, index) => make(look, index, role)),
      }));
    },
  };
}

const pass: Script = () => [{ outcome: 'pass' }];
const ok: RequestOutcome = { failed: false, latencyMs: 10 };
const bad: RequestOutcome = { failed: true, latencyMs: 10, status: 500, problem: 'status 500, expected 200' };
const baseline = { name: 'blue', addresses: ['127.0.0.1:2'] };

function options(checks: Check[], fields: Partial<WatchOptions> = {}): WatchOptions {
  return {
    checks,
    target: { name: 'green', addresses: ['127.0.0.1:1'] },
    duration: 10_000,
    interval: 1000,
    deadline: 20_000,
    minSamples: 5,
    failureLimit: 3,
    clock: manualClock(1_000_000),
    ...fields,
  };
}

describe('the watch engine with value checks', () => {
  it('is healthy after the duration when every check holds, looking every interval from the start', async () => {
    const looks: number[] = [];
    const report = await watch({ ...options([scripted('a', pass)]), onInterval: (record) => void looks.push(record.elapsedMs) });
    expect(report.verdict).toBe('healthy');
    expect(report.passed).toBe(true);
    expect(looks).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(report.decisions.at(-1)).toMatchObject({ action: 'healthy', look: 11, elapsedMs: 10_000 });
    expect(report.failedChecks).toEqual([]);
    expect(report.checks[0]).toMatchObject({ name: 'a', status: 'pass', measured: 11, observed: 'last 1, range 1 to 1' });
  });

  it('counts bad looks over the whole watch, not in a row: an intermittent fault is unhealthy at failure-limit', async () => {
    const clock = manualClock(1_000_000);
    const check = scripted('errors', (look) => [look % 3 === 0 ? { outcome: 'fail', value: 7, error: '7 > max 1' } : { outcome: 'pass' }], clock.now);
    const report = await watch(options([check, scripted('fine', pass)], { clock }));
    expect(report.verdict).toBe('unhealthy');
    expect(report.looks).toBe(9);
    expect(report.failedChecks).toEqual(['errors']);
    expect(report.reason).toBe('errors: 3 bad looks of 9 (7 > max 1; failure-limit 3)');
    expect(report.firstBadSampleAt).toBe(new Date(1_002_000).toISOString());
    expect(report.timeToDetectionMs).toBe(6000);
    expect(report.checks.map((check) => check.status)).toEqual(['fail', 'pass']);
  });

  it('counts a failing source against health, and a thrown error as a source failure', async () => {
    const report = await watch(options([scripted('prom', (look) => (look > 1 ? new Error('connect ECONNREFUSED 127.0.0.1:9090') : [{ outcome: 'pass' }]))]));
    expect(report.verdict).toBe('unhealthy');
    expect(report.reason).toContain('source failure: connect ECONNREFUSED');
    expect(report.checks[0]).toMatchObject({ sourceFailures: 3, badLooks: 3 });
  });

  it('drops figures that are not finite numbers and counts them as source failures', async () => {
    expect(finiteLook({ check: 'a', kind: 'command', role: 'target', pool: 'g', at: 0, outcome: 'pass', value: NaN })).toMatchObject({
      outcome: 'source-failure',
      dropped: 1,
    });
    const report = await watch(options([scripted('nan', () => [{ outcome: 'pass', value: Infinity }])]));
    expect(report.verdict).toBe('unhealthy');
    expect(report.reason).toContain('the source gave Infinity, not a finite number');
  });

  it('watches on until the deadline when data is short, and is inconclusive there', async () => {
    const report = await watch(options([scripted('quiet', (look) => [look % 5 === 0 ? { outcome: 'pass' } : { outcome: 'no-data', error: 'NaN' }])]));
    expect(report.verdict).toBe('inconclusive');
    expect(report.passed).toBe(false);
    expect(report.elapsedMs).toBe(20_000);
    expect(report.failedChecks).toEqual(['quiet']);
    expect(report.reason).toBe('deadline reached without evidence: quiet: 4 of 5 looks measured');
    const allowed = await watch(options([scripted('quiet', () => [{ outcome: 'no-data' }])], { inconclusive: 'pass' }));
    expect(allowed).toMatchObject({ verdict: 'inconclusive', passed: true });
  });

  it('stops when the signal aborts, inconclusive, and does not judge looks a stop cut short', async () => {
    const controller = new AbortController();
    const report = await watch({
      ...options([scripted('a', pass)]),
      signal: controller.signal,
      onInterval: (record) => void (record.look === 3 && controller.abort()),
    });
    expect(report.verdict).toBe('inconclusive');
    expect(report.reason).toMatch(/^stopped before a verdict/);
    expect(report.looks).toBe(4);
    const second = new AbortController();
    const check = scripted('b', (look) => {
      if (look === 2) second.abort();
      return [look === 2 ? { outcome: 'source-failure', error: 'aborted' } : { outcome: 'pass' }];
    });
    const cut = await watch({ ...options([check]), signal: second.signal });
    expect(cut).toMatchObject({ verdict: 'inconclusive', looks: 2 });
    expect(cut.checks[0]).toMatchObject({ looks: 1, sourceFailures: 0 });
  });
});

describe('the watch engine with request checks', () => {
  it('is unhealthy at its first look when 30% of a dozen requests fail', async () => {
    const report = await watch(options([requestsCheck('web', (_look, index) => (index % 3 === 0 ? bad : ok), { count: 12 })]));
    expect(report).toMatchObject({ verdict: 'unhealthy', looks: 1 });
    expect(report.reason).toMatch(/^web: 33\.3% of 12 requests failed on green, at least \d/);
  });

  it('calls a clean pool healthy only on evidence: past the duration and the requests a healthy verdict needs', async () => {
    const thin = await watch(options([requestsCheck('web', () => ok, { count: 5 })]));
    expect(thin.verdict).toBe('inconclusive');
    expect(thin.reason).toMatch(/^deadline reached without evidence: web: failed share at most [\d.]+% so far, limit 2% \(105 requests\)$/);
    const enough = await watch(options([requestsCheck('web', () => ok, { count: 40 })]));
    expect(enough).toMatchObject({ verdict: 'healthy', elapsedMs: 10_000 });
  });

  it('sizes the probes of a look from what a healthy verdict needs, and probes at max-rate past the duration', async () => {
    const seen: LookContext[] = [];
    const check = requestsCheck('web', (look, index, role) => (look === 1 && index === 0 && role === 'target' ? bad : ok), { probes: true, seen });
    const report = await watch(options([check], { baseline, duration: 2000, interval: 250, deadline: 32_000 }));
    expect(report.verdict).toBe('healthy');
    const plan = report.plans.web!;
    expect(seen[0]).toMatchObject({ requests: plan.perLook, spreadMs: 200 });
    expect(seen.at(-1)!.requests).toBe(plan.most);
    expect(plan.most).toBe(25);
    expect(report.elapsedMs).toBeGreaterThan(2000);
  });

  it('compares with the baseline pool: a worse target is unhealthy, naming the figures', async () => {
    const check = requestsCheck('web', (_look, index, role) => (role === 'target' && index % 5 === 0 ? bad : ok), { count: 50 });
    const report = await watch(options([check], { baseline }));
    expect(report.verdict).toBe('unhealthy');
    expect(report.failedChecks).toEqual(['web']);
    expect(report.reason).toContain('web: 20% of 50 requests failed on green');
    expect(report.reason).toContain('web error rate worse than blue: 20% vs 0%');
    expect(report.comparisons.find((c) => c.metric === 'error-rate')).toMatchObject({ harm: true, verdict: 'worse', target: 0.2, baseline: 0 });
  });

  it('says the environment is unhealthy when both pools break the limit', async () => {
    const check = requestsCheck('web', (_look, index) => (index % 4 === 0 ? bad : ok), { count: 60 });
    const report = await watch(options([check], { baseline }));
    expect(report.verdict).toBe('unhealthy');
    expect(report.reason).toContain('both pools break the limit');
    expect(report.reason).toContain('the environment is unhealthy, not the canary alone');
  });

  it('still fails a canary that turns bad past the duration, while another check waits for data', async () => {
    const clock = manualClock(1_000_000);
    const prom = scripted('latency-p99', (look) => [look < 7 ? { outcome: 'no-data', error: 'no data' } : { outcome: 'pass' }], clock.now);
    const http = requestsCheck('web', (look, _index, role) => (role === 'target' && look >= 8 ? bad : ok), { count: 60, now: clock.now });
    const report = await watch({
      checks: [prom, http],
      target: { name: 'green', addresses: ['127.0.0.1:1'] },
      baseline,
      duration: 60_000,
      interval: 10_000,
      clock,
    });
    expect(report.verdict).toBe('unhealthy');
    expect(report.failedChecks).toEqual(['web']);
    expect(report.looks).toBe(8);
  });

  it('shares the false-alarm budget among the tests that call harm, and the steps of a rollout', () => {
    const check = requestsCheck('web', () => ok);
    expect(watchSettings(options([check])).levels).toEqual({ health: 0.050000000000000044, harm: 0.050000000000000044 });
    expect(watchSettings(options([check], { baseline, family: 3 })).levels.harm).toBeCloseTo(0.05 / 9, 12);
  });

  it('tells what it can show before the first look, and warns when the duration is too short', () => {
    const check = requestsCheck('web', () => ok, { probes: true });
    const lines = describePlans([check], watchSettings(options([check], { baseline, duration: 2000, interval: 250, deadline: 32_000 })));
    expect(lines[0]).toMatch(
      /^web: 25 requests per pool per look \(about 100 per second per address\), 225 by 2s; a healthy verdict needs \d+ requests per pool without failures; that data shows a failed share of [\d.]+% \(limit 2%\) or an error rate [\d.]+ points above blue's \(tolerance 1\)$/,
    );
    expect(lines[1]).toMatch(
      /^warning: web cannot show health within 2s at max-rate 100\/s per address: it probes on to the deadline \(32s\), which is enough without failures$/,
    );
  });
});

describe('settings', () => {
  it('refuses a check that only compares, without a baseline, and bad settings', () => {
    const relative: Check = { ...scripted('rpm', pass), needsBaseline: true };
    expect(() => watchSettings(options([relative]))).toThrow('watch: rpm only compare with a baseline pool');
    expect(() => watchSettings(options([scripted('a', pass)], { interval: 0 }))).toThrow('watch: interval must be a positive number, got 0');
    expect(() => watchSettings(options([scripted('a', pass)], { confidence: 95 }))).toThrow('confidence must be between 0.5 and 1');
  });

  it('takes defaults: a deadline of the duration and as long again, at least 30 s more; min-samples no more than the looks', () => {
    const settings = watchSettings({ checks: [scripted('a', pass)], target: { name: 'g', addresses: [] }, duration: 2000, interval: 1000 });
    expect(settings).toMatchObject({ deadline: 32_000, minSamples: 3, failureLimit: 3, confidence: 0.95, inconclusive: 'fail', family: 1 });
    expect(defaultDeadline(5 * 60_000)).toBe(10 * 60_000);
  });
});

import { describe, expect, it } from 'vitest';
import { makeSample, type Check, type Sample, type SampleContext } from './check.js';
import { manualClock } from './clock.js';
import { watch, watchSettings, type WatchOptions } from './watch.js';

type Script = (look: number, context: SampleContext) => Partial<Sample>[] | Error;

/** A check whose samples a script gives, look by look: the decision logic without I/O. */
function scripted(name: string, script: Script, kind: Check['kind'] = 'command', now = () => 0): Check {
  let look = 0;
  return {
    name,
    kind,
    main: false,
    threshold: '<= 1',
    unit: '',
    needsBaseline: false,
    async sample(context) {
      look += 1;
      const result = script(look, context);
      if (result instanceof Error) throw result;
      return result.map((fields) => makeSample({ check: name, kind, role: 'target', pool: context.pool, outcome: 'pass', value: 1, at: now(), ...fields }));
    },
  };
}

const pass: Script = () => [{ outcome: 'pass' }];

function options(checks: Check[], fields: Partial<WatchOptions> = {}): WatchOptions {
  return { checks, target: { name: 'green', addresses: ['127.0.0.1:1'] }, duration: 10_000, interval: 1000, deadline: 20_000, minSamples: 5, failureLimit: 3, clock: manualClock(1_000_000), ...fields };
}

describe('the watch engine', () => {
  it('is healthy after the duration when every check holds, looking every interval from the start', async () => {
    const looks: number[] = [];
    const report = await watch({ ...options([scripted('a', pass)]), onInterval: (record) => void looks.push(record.elapsedMs) });
    expect(report.verdict).toBe('healthy');
    expect(report.passed).toBe(true);
    expect(looks).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(report.samples).toHaveLength(11);
    expect(report.decisions.at(-1)).toMatchObject({ action: 'healthy', look: 11, elapsedMs: 10_000 });
    expect(report.failedChecks).toEqual([]);
    expect(report.checks[0]).toMatchObject({ name: 'a', status: 'pass', valid: 11, observed: 'last 1, range 1 to 1' });
  });

  it('is unhealthy at the failure limit, stops there, and times the detection', async () => {
    const clock = manualClock(1_000_000);
    const check = scripted('errors', (look) => [look >= 4 ? { outcome: 'fail', value: 7, error: '7 > max 1' } : { outcome: 'pass' }], 'command', clock.now);
    const report = await watch(options([check, scripted('fine', pass)], { clock }));
    expect(report.verdict).toBe('unhealthy');
    expect(report.looks).toBe(6);
    expect(report.failedChecks).toEqual(['errors']);
    expect(report.reason).toBe('errors: 3 bad intervals in a row (7 > max 1)');
    expect(report.firstBadSampleAt).toBe(new Date(1_003_000).toISOString());
    expect(report.detectedAt).toBe(new Date(1_005_000).toISOString());
    expect(report.timeToDetectionMs).toBe(2000);
    expect(report.checks.map((check) => check.status)).toEqual(['fail', 'pass']);
  });

  it('counts a failing source against health, and a thrown error as a source failure', async () => {
    const report = await watch(options([scripted('prom', (look) => (look > 1 ? new Error('connect ECONNREFUSED 127.0.0.1:9090') : [{ outcome: 'pass' }]))]));
    expect(report.verdict).toBe('unhealthy');
    expect(report.reason).toContain('source failure: connect ECONNREFUSED');
    expect(report.checks[0]).toMatchObject({ sourceFailures: 3 });
    expect(report.samples.filter((sample) => sample.sourceFailure)).toHaveLength(3);
  });

  it('watches on until the deadline when data is short, and is inconclusive there', async () => {
    const report = await watch(options([scripted('quiet', (look) => [look % 5 === 0 ? { outcome: 'pass' } : { outcome: 'no-data', error: 'NaN' }])]));
    expect(report.verdict).toBe('inconclusive');
    expect(report.passed).toBe(false);
    expect(report.elapsedMs).toBe(20_000);
    expect(report.failedChecks).toEqual(['quiet']);
    expect(report.reason).toBe('deadline reached without a verdict: quiet: 4 of 5 samples needed');
  });

  it('becomes healthy past the duration once data is enough, and passes inconclusive when allowed', async () => {
    const late = await watch(options([scripted('slow', (look) => [look % 2 === 0 ? { outcome: 'pass' } : { outcome: 'no-data' }])]));
    expect(late.verdict).toBe('healthy');
    expect(late.elapsedMs).toBe(10_000);
    const quiet = await watch(options([scripted('quiet', () => [{ outcome: 'no-data' }])], { inconclusive: 'pass' }));
    expect(quiet).toMatchObject({ verdict: 'inconclusive', passed: true });
  });

  it('stops when the signal aborts, inconclusive', async () => {
    const controller = new AbortController();
    const report = await watch({ ...options([scripted('a', pass)]), signal: controller.signal, onInterval: (record) => void (record.look === 3 && controller.abort()) });
    expect(report.verdict).toBe('inconclusive');
    expect(report.reason).toMatch(/^stopped before a verdict/);
    expect(report.looks).toBe(4);
  });

  it('does not judge the samples a stop cut short', async () => {
    const controller = new AbortController();
    const check = scripted('a', (look) => {
      if (look === 2) controller.abort();
      return [look === 2 ? { outcome: 'source-failure', error: 'aborted' } : { outcome: 'pass' }];
    });
    const report = await watch({ ...options([check]), signal: controller.signal });
    expect(report).toMatchObject({ verdict: 'inconclusive', looks: 2 });
    expect(report.samples).toHaveLength(1);
  });

  it('compares http checks with the baseline pool and finds a worse target', async () => {
    const http = scripted(
      'web',
      (look, context) => [
        ...Array.from({ length: 20 }, (_, i) => ({ role: 'target' as const, pool: context.pool, outcome: i < 4 ? ('fail' as const) : ('pass' as const), answered: i >= 4, latencyMs: 10 })),
        ...Array.from({ length: 20 }, () => ({ role: 'baseline' as const, pool: context.baselinePool!, outcome: 'pass' as const, answered: true, latencyMs: 10 })),
      ],
      'http',
    );
    const report = await watch(options([http], { baseline: { name: 'blue', addresses: ['127.0.0.1:2'] }, minSamples: 20 }));
    expect(report.verdict).toBe('unhealthy');
    expect(report.failedChecks).toEqual(['web']);
    expect(report.comparisons.find((c) => c.metric === 'error-rate')).toMatchObject({ target: 0.2, baseline: 0, failed: true });
    expect(report.reason).toContain('web error-rate worse than baseline: 20% vs 0%');
    expect(report.baseline).toEqual({ name: 'blue', addresses: ['127.0.0.1:2'] });
  });

  it('still fails a canary on a look past the duration, when another check waited for data', async () => {
    // The prometheus check has no data until look 7, so the watch goes on past its 60 s; from look 8
    // every request to the canary fails. Alpha spread over the duration's 7 looks only left looks 8+
    // testing at level 0, and the watch ended healthy at look 11 on a 36% vs 0% error rate.
    const clock = manualClock(1_000_000);
    const prom = scripted('latency-p99', (look) => [look < 7 ? { outcome: 'no-data', error: 'no data' } : { outcome: 'pass' }], 'prometheus', clock.now);
    const http = scripted(
      'web',
      (look, context) => [
        ...Array.from({ length: 4 }, () => ({ role: 'target' as const, pool: context.pool, ...(look >= 8 ? { outcome: 'fail' as const, answered: false, status: 500 } : { outcome: 'pass' as const, answered: true }), latencyMs: 10 })),
        ...Array.from({ length: 4 }, () => ({ role: 'baseline' as const, pool: context.baselinePool!, outcome: 'pass' as const, answered: true, latencyMs: 10 })),
      ],
      'http',
      clock.now,
    );
    const report = await watch({ checks: [prom, http], target: { name: 'green', addresses: ['127.0.0.1:1'] }, baseline: { name: 'blue', addresses: ['127.0.0.1:2'] }, duration: 60_000, interval: 10_000, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.failedChecks).toEqual(['web']);
    expect(report.looks).toBeGreaterThan(7);
    const errors = report.comparisons.find((c) => c.metric === 'error-rate')!;
    expect(errors).toMatchObject({ failed: true, baseline: 0 });
    expect(errors.level).toBeGreaterThan(0);
  });

  it('refuses a check that only compares, without a baseline, and bad settings', () => {
    const relative: Check = { ...scripted('rpm', pass), needsBaseline: true };
    expect(() => watchSettings(options([relative]))).toThrow('watch: rpm only compare with a baseline pool');
    expect(() => watchSettings(options([scripted('a', pass)], { interval: 0 }))).toThrow('watch: interval must be a positive number, got 0');
    expect(() => watchSettings(options([scripted('a', pass)], { confidence: 95 }))).toThrow('confidence must be between 0.5 and 1');
  });

  it('takes defaults: deadline twice the duration, min-samples no more than the looks of the duration, alpha spread up to the deadline', () => {
    const settings = watchSettings({ checks: [scripted('a', pass)], target: { name: 'g', addresses: [] }, duration: 2000, interval: 1000 });
    expect(settings).toMatchObject({ deadline: 4000, minSamples: 3, failureLimit: 3, confidence: 0.95, plannedLooks: 5, inconclusive: 'fail' });
    // Looks up to a deadline that is not a whole number of intervals: the look past it is the last.
    expect(watchSettings({ checks: [scripted('a', pass)], target: { name: 'g', addresses: [] }, duration: 60_000, interval: 10_000, deadline: 65_000 }).plannedLooks).toBe(8);
  });
});

import { describe, expect, it } from 'vitest';
import { summaryMarkdown, title, type CanaryRun } from './summary.js';
import { canaryWatch, scriptedHttpCheck } from '@cutover/testkit';

async function run(fields: Partial<CanaryRun> = {}): Promise<CanaryRun> {
  const healthy = await canaryWatch(scriptedHttpCheck({ green: 0, blue: 0 }, { green: 3, blue: 3 }));
  return {
    environment: 'production',
    router: 'nginx /etc/nginx/conf.d/app.conf',
    stable: 'blue',
    canary: 'green',
    version: 'v2',
    result: 'promoted',
    weight: 100,
    before: { blue: 100, green: 0 },
    after: { blue: 0, green: 100 },
    steps: [
      { weight: 25, requested: [25], split: { blue: 75, green: 25 }, report: healthy },
      { weight: 100, requested: [100], split: { blue: 0, green: 100 } },
    ],
    skipped: [],
    notes: [],
    stepDuration: 5000,
    interval: 500,
    records: ['Deployment: #1 success'],
    ...fields,
  };
}

describe('the job summary', () => {
  it('tables every step (split, verdict, canary against stable) and charts the canary against the stable pool', async () => {
    const markdown = summaryMarkdown(await run());
    expect(markdown).toContain('## ✅ canary-step: green promoted: it takes all traffic in production');
    expect(markdown).toContain('| canary weight | split | verdict | green vs blue | watched | analysis |');
    expect(markdown).toContain(
      '| 25% | {blue: 75, green: 25} | ✅ healthy | error rate 0% vs 0%, median 3ms vs 3ms | 5s, 11 looks | every check held for 5s: healthz: 0 of 2200 failed, at most ',
    );
    expect(markdown).toContain('| 100% | {blue: 0, green: 100} | 🚀 promoted |');
    expect(markdown).toContain('```mermaid\nxychart-beta\n  title "healthz latency (ms): green against blue"');
    expect(markdown).toContain('1. healthz on green (canary) (ms) · 2. healthz on blue (stable) (ms)');
    expect(markdown).toContain('- Split: {blue: 100, green: 0} → {blue: 0, green: 100}');
    expect(markdown).toContain('- Deployment: #1 success');
  });

  it('says when it resumed, how symlink weights were rounded, and why it stopped', async () => {
    const paused = await run({
      result: 'paused',
      weight: 25,
      reason: 'stopped at 25%',
      skipped: [5],
      notes: ['5%, 25% → 1 of 4 hosts (25%): symlink releases move whole hosts'],
      before: { blue: 95, green: 5 },
    });
    const markdown = summaryMarkdown(paused);
    expect(markdown).toContain('## ⏸️ canary-step: green paused at 25% in production: a later run continues');
    expect(markdown).toContain('**Paused**: stopped at 25%');
    expect(markdown).toContain('Resumed from {blue: 95, green: 5}: steps 5% were taken by an earlier run.');
    expect(markdown).toContain('- Rounded: 5%, 25% → 1 of 4 hosts (25%): symlink releases move whole hosts');
  });

  it('titles an abort with the step it failed at', async () => {
    expect(title(await run({ result: 'aborted', weight: 0, steps: [{ weight: 25, requested: [25], split: { blue: 75, green: 25 } }] }))).toBe(
      'green aborted at 25%: blue takes all traffic again',
    );
  });

  it('never says the stable pool takes all traffic when restoring it failed', async () => {
    const failed = await run({
      result: 'aborted',
      weight: 25,
      restoreFailed: 'read {blue: 100, green: 50}',
      steps: [{ weight: 25, requested: [25], split: { blue: 75, green: 25 } }],
    });
    expect(title(failed)).toBe('green aborted at 25%: restoring blue FAILED, traffic may still be split');
    expect(summaryMarkdown(failed)).not.toContain('takes all traffic again');
  });
});

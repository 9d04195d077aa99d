import { describe, expect, it } from 'vitest';
import { decideGate, type CheckRunSummary } from './gate.js';

const SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';
const run = (id: number, conclusion: string | null, startedAt: string, status = 'completed'): CheckRunSummary => ({
  id,
  name: 'test-gate',
  status,
  conclusion,
  html_url: `https://github.com/o/r/runs/${id}`,
  started_at: startedAt,
});

describe('decideGate', () => {
  it('lets a commit through when its newest gate run succeeded, and records it', () => {
    const decision = decideGate([run(1, 'failure', '2026-01-01T10:00:00Z'), run(2, 'success', '2026-01-01T11:00:00Z')], 'test-gate', SHA);
    expect(decision).toEqual({ ok: true, gate: { name: 'test-gate', checkRunId: 2, url: 'https://github.com/o/r/runs/2', conclusion: 'success' } });
  });

  it('refuses when the newest run failed, even after an older success, naming and linking it', () => {
    const decision = decideGate([run(5, 'success', '2026-01-01T10:00:00Z'), run(4, 'failure', '2026-01-01T12:00:00Z')], 'test-gate', SHA);
    expect(decision).toEqual({
      ok: false,
      reason: expect.stringContaining('the newest "test-gate" check run of 1a2b3c4 concluded failure, not success: https://github.com/o/r/runs/4'),
    });
  });

  it('breaks equal start times by id', () => {
    const decision = decideGate([run(7, 'failure', '2026-01-01T10:00:00Z'), run(8, 'success', '2026-01-01T10:00:00Z')], 'test-gate', SHA);
    expect(decision.ok).toBe(true);
  });

  it('refuses a gate still running', () => {
    const decision = decideGate([run(3, null, '2026-01-01T10:00:00Z', 'in_progress')], 'test-gate', SHA);
    expect(decision).toEqual({ ok: false, reason: expect.stringContaining('is in_progress, not finished') });
  });

  it('refuses when there is no run of that name', () => {
    const other = { ...run(9, 'success', '2026-01-01T10:00:00Z'), name: 'lint' };
    const decision = decideGate([other], 'test-gate', SHA);
    expect(decision).toEqual({ ok: false, reason: expect.stringContaining('commit 1a2b3c4 has no "test-gate" check run') });
  });
});

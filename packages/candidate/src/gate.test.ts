import { describe, expect, it } from 'vitest';
import { decideGate, gatePollDelayMs, gateState, gateTimedOut, shouldLogWait, type CheckRunSummary } from './gate.js';

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

describe('gateState: waiting for a gate that is not finished', () => {
  it('waits for a gate not there yet, queued or in progress, saying for what', () => {
    expect(gateState([], 'test-gate', SHA)).toEqual({ action: 'wait', waitingFor: 'the "test-gate" check run of 1a2b3c4 (none yet)' });
    expect(gateState([run(3, null, '2026-01-01T10:00:00Z', 'queued')], 'test-gate', SHA)).toEqual({
      action: 'wait',
      waitingFor: 'the "test-gate" check run of 1a2b3c4 (queued: https://github.com/o/r/runs/3)',
      status: 'queued',
      url: 'https://github.com/o/r/runs/3',
    });
    // A re-run in progress after a failure: the newest decides, so it is waited for.
    expect(gateState([run(1, 'failure', '2026-01-01T10:00:00Z'), run(2, null, '2026-01-01T11:00:00Z', 'in_progress')], 'test-gate', SHA)).toMatchObject({
      action: 'wait',
      status: 'in_progress',
    });
  });

  it('refuses a failed gate at once, and passes a green one', () => {
    expect(gateState([run(4, 'failure', '2026-01-01T12:00:00Z')], 'test-gate', SHA)).toMatchObject({ action: 'refuse' });
    expect(gateState([run(4, 'cancelled', '2026-01-01T12:00:00Z')], 'test-gate', SHA)).toEqual({
      action: 'refuse',
      reason: expect.stringContaining('concluded cancelled, not success'),
    });
    expect(gateState([run(2, 'success', '2026-01-01T11:00:00Z')], 'test-gate', SHA)).toMatchObject({ action: 'pass', gate: { checkRunId: 2 } });
  });

  it('at the timeout, names the check, what it was and the timeout', () => {
    const none = gateState([], 'test-gate', SHA) as Extract<ReturnType<typeof gateState>, { action: 'wait' }>;
    expect(gateTimedOut(none, 'test-gate', SHA, 600_000)).toBe(
      'require-gate: commit 1a2b3c4 has no "test-gate" check run after 10m (gate-timeout); run the gate on this commit first (or name another with gate-name, or set require-gate: false)',
    );
    const running = gateState([run(3, null, '2026-01-01T10:00:00Z', 'in_progress')], 'test-gate', SHA) as Extract<
      ReturnType<typeof gateState>,
      { action: 'wait' }
    >;
    expect(gateTimedOut(running, 'test-gate', SHA, 90_000)).toBe(
      'require-gate: the newest "test-gate" check run of 1a2b3c4 is in_progress, not finished after 1m30s (gate-timeout): https://github.com/o/r/runs/3; raise gate-timeout if the gate takes longer',
    );
  });

  it('looks again after 2 s, then half as long again each time, at most every 15 s', () => {
    expect(Array.from({ length: 8 }, (_, poll) => gatePollDelayMs(poll))).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000, 15000]);
    // A 10-minute wait: how many looks it costs.
    let elapsed = 0;
    let polls = 0;
    while (elapsed < 600_000) elapsed += gatePollDelayMs(polls++);
    expect(polls).toBeLessThan(45);
  });

  it('logs a wait when what it waits for changes, else at most every 30 s', () => {
    expect(shouldLogWait(undefined, 'a', 0)).toBe(true);
    expect(shouldLogWait({ waitingFor: 'a', at: 0 }, 'a', 29_999)).toBe(false);
    expect(shouldLogWait({ waitingFor: 'a', at: 0 }, 'a', 30_000)).toBe(true);
    expect(shouldLogWait({ waitingFor: 'a', at: 0 }, 'b', 1)).toBe(true);
  });
});

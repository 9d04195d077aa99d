import { describe, expect, it } from 'vitest';
import {
  describeParty,
  emptyLock,
  handBackLock,
  lockParty,
  lockPollDelayMs,
  LockTimeoutError,
  nextLockStep,
  parseLock,
  preemptLock,
  releaseLock,
  serializeLock,
  type LockParty,
  type LockState,
  type LockWaiter,
} from './lock.js';

const T0 = new Date('2026-06-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function party(run: number, action = 'canary-step', job = 'production'): LockParty {
  return {
    id: `${run}/${job}`,
    action,
    workflow: 'deliver',
    run,
    runNumber: run - 1000,
    attempt: 1,
    job,
    actor: 'octocat',
    url: `https://github.com/o/r/actions/runs/${run}`,
    sha: 'a'.repeat(40),
    since: T0.toISOString(),
  };
}

const waiter = (run: number, since: number, waitSeconds = 3600): LockWaiter => ({
  ...party(run),
  since: at(since).toISOString(),
  until: at(since + waitSeconds).toISOString(),
});

describe('nextLockStep: first come, first served', () => {
  it('takes a free lock, and knows it holds it already (the same job)', () => {
    const me = waiter(1001, 0);
    const step = nextLockStep(emptyLock('production'), me, at(1));
    expect(step).toEqual({
      action: 'take',
      next: { cutover: 1, environment: 'production', holder: { ...party(1001), since: at(1).toISOString() }, queue: [] },
    });
    const held = (step as { next: LockState }).next;
    expect(nextLockStep(held, { ...waiter(1001, 5), action: 'rollback' }, at(6))).toEqual({ action: 'held' });
  });

  it('waits behind the holder, putting itself in the queue once', () => {
    const held: LockState = { ...emptyLock('production'), holder: party(1001) };
    const me = waiter(1002, 10);
    const step = nextLockStep(held, me, at(10));
    expect(step).toEqual({ action: 'wait', holder: party(1001), ahead: [], next: { ...held, queue: [me] } });
    expect(nextLockStep({ ...held, queue: [me] }, me, at(20))).toEqual({ action: 'wait', holder: party(1001), ahead: [] });
  });

  it('when the lock is free, only the first in turn takes it; the others keep waiting, in order', () => {
    const first = waiter(1002, 10);
    const second = waiter(1003, 12);
    const third = waiter(1004, 15);
    // The queue as written may be in any order: turns go by when each began to wait.
    const free: LockState = { ...emptyLock('production'), queue: [third, first, second] };
    expect(nextLockStep(free, second, at(30))).toEqual({ action: 'wait', holder: null, ahead: [first] });
    expect(nextLockStep(free, third, at(30))).toEqual({ action: 'wait', holder: null, ahead: [first, second] });
    const taken = nextLockStep(free, first, at(30));
    expect(taken).toMatchObject({ action: 'take', next: { holder: { id: first.id, since: at(30).toISOString() }, queue: [second, third] } });
    // A newcomer to a free lock with a queue goes to the back.
    expect(nextLockStep(free, waiter(1005, 29), at(30))).toMatchObject({
      action: 'wait',
      ahead: [first, second, third],
      next: { queue: [first, second, third, waiter(1005, 29)] },
    });
  });

  it('drops waiters past their own deadline (gave up or died waiting), so they block nobody', () => {
    const dead = waiter(1002, 0, 60);
    const me = waiter(1003, 30);
    const free: LockState = { ...emptyLock('production'), queue: [dead, me] };
    expect(nextLockStep(free, me, at(59))).toMatchObject({ action: 'wait', ahead: [dead] });
    expect(nextLockStep(free, me, at(61))).toMatchObject({ action: 'take', next: { queue: [] } });
  });
});

describe('preemptLock: rollback takes the lock from whoever holds it', () => {
  it('records whom it preempted, keeps the queue', () => {
    const canary = party(1001);
    const rollback = party(2001, 'rollback', 'rollback');
    const queued = waiter(1002, 5);
    const { next, preempted } = preemptLock({ ...emptyLock('production'), holder: canary, queue: [queued] }, rollback, at(40));
    expect(preempted).toEqual(canary);
    expect(next).toEqual({
      cutover: 1,
      environment: 'production',
      holder: { ...rollback, since: at(40).toISOString() },
      queue: [queued],
      preempted: { holder: canary, by: { ...rollback, since: at(40).toISOString() }, at: at(40).toISOString() },
    });
  });

  it("preempts nobody when the lock is free, or its own job holds it (deliver's rollback step after its canary)", () => {
    expect(preemptLock(emptyLock('production'), party(2001, 'rollback'), at(1)).preempted).toBeUndefined();
    const own = preemptLock({ ...emptyLock('production'), holder: party(1001) }, party(1001, 'rollback'), at(1));
    expect(own).toEqual({ next: { ...emptyLock('production'), holder: { ...party(1001), action: 'rollback' } } });
  });
});

describe('handBackLock: a rollback that moved nothing gives the lock back', () => {
  it('the preempted run holds it again, the preemption forgotten; nothing when the rollback no longer holds it', () => {
    const canary = party(1001);
    const rollback = party(2001, 'rollback', 'rollback');
    const { next } = preemptLock({ ...emptyLock('production'), holder: canary }, rollback, at(1));
    expect(handBackLock(next, rollback.id, canary)).toEqual({ ...emptyLock('production'), holder: canary });
    expect(handBackLock({ ...next, holder: party(3001) }, rollback.id, canary)).toBeUndefined();
  });
});

describe('releaseLock', () => {
  const rollback = party(2001, 'rollback', 'rollback');
  const canary = party(1001);

  it('lets the holder go; the branch is deleted when nobody holds, waits or has a preemption to read', () => {
    expect(releaseLock({ ...emptyLock('production'), holder: canary }, canary.id, at(5))).toEqual({ next: emptyLock('production'), delete: true });
    const queued = waiter(1002, 1);
    expect(releaseLock({ ...emptyLock('production'), holder: canary, queue: [queued] }, canary.id, at(5))).toEqual({
      next: { ...emptyLock('production'), queue: [queued] },
      delete: false,
    });
  });

  it('takes a waiter out of the queue (a cancelled run), and is nothing for a run not in the file', () => {
    const queued = waiter(1002, 1);
    expect(releaseLock({ ...emptyLock('production'), holder: canary, queue: [queued] }, queued.id, at(5))).toEqual({
      next: { ...emptyLock('production'), holder: canary },
      delete: false,
    });
    expect(releaseLock({ ...emptyLock('production'), holder: canary }, 'other/job', at(5))).toBeUndefined();
  });

  it('keeps a preemption until the preempted run has read it; it clears it when it lets go', () => {
    const preempted = preemptLock({ ...emptyLock('production'), holder: canary }, rollback, at(10)).next;
    // The rollback ends first: the lock is free, the record stays for the canary.
    const afterRollback = releaseLock(preempted, rollback.id, at(12))!;
    expect(afterRollback.delete).toBe(false);
    expect(afterRollback.next.holder).toBeNull();
    expect(afterRollback.next.preempted?.holder.id).toBe(canary.id);
    // The canary, stopped, lets go: nothing left, the branch goes.
    expect(releaseLock(afterRollback.next, canary.id, at(20))).toEqual({ next: emptyLock('production'), delete: true });
    // A record nobody came to read is forgotten after a day.
    expect(releaseLock(afterRollback.next, 'other/job', at(25 * 3600))).toEqual({ next: emptyLock('production'), delete: true });
  });
});

describe('the lock file', () => {
  it('round-trips, and a file people broke reads as unreadable, never as free', () => {
    const state: LockState = { ...emptyLock('production'), holder: party(1001), queue: [waiter(1002, 3)] };
    expect(parseLock(serializeLock(state), 'production')).toEqual(state);
    expect(parseLock('{"holder": {"name": "me"}}', 'production')).toEqual({ unreadable: 'the holder names no run' });
    expect(parseLock('locked', 'production')).toMatchObject({ unreadable: expect.stringMatching(/^not JSON/) });
    expect(parseLock('{"queue": []}', 'production')).toEqual({ unreadable: 'no holder field' });
  });

  it('drops queue entries without a deadline, and fields of the wrong type', () => {
    const text = JSON.stringify({ holder: null, queue: [{ id: '1/a' }, { ...waiter(1002, 3), run: 'x' }] });
    expect(parseLock(text, 'production')).toEqual({ ...emptyLock('production'), queue: [{ ...waiter(1002, 3), run: 0 }] });
  });
});

describe('people read who holds it', () => {
  it('names the workflow run, the action, the job, the actor, since when, and links the run', () => {
    expect(describeParty(party(1001))).toBe(
      'deliver #1 (canary-step, job production, by octocat, since 2026-06-01T10:00:00Z): https://github.com/o/r/actions/runs/1001',
    );
  });

  it('this job as a party: one id for every action and attempt of the job', () => {
    const context = {
      owner: 'o',
      repo: 'r',
      sha: 'b'.repeat(40),
      ref: 'refs/heads/main',
      runId: 77,
      runAttempt: 2,
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/o/r/actions/runs/77',
      eventName: 'workflow_run',
      payload: {},
      workflow: 'deliver',
      actor: 'ana',
    };
    expect(lockParty('blue-green-switch', context, { GITHUB_JOB: 'staging', GITHUB_RUN_NUMBER: '12' }, T0)).toEqual({
      id: '77/staging',
      action: 'blue-green-switch',
      workflow: 'deliver',
      run: 77,
      runNumber: 12,
      attempt: 2,
      job: 'staging',
      actor: 'ana',
      url: 'https://github.com/o/r/actions/runs/77',
      sha: 'b'.repeat(40),
      since: T0.toISOString(),
    });
  });

  it('a wait that ran out names the holder and how to break a dead lock', () => {
    const error = new LockTimeoutError('production', party(1001), 3_600_000, []);
    expect(error.message).toBe(
      'lock-timeout: waited 1h for the production lock, still held by deliver #1 (canary-step, job production, by octocat, since 2026-06-01T10:00:00Z): https://github.com/o/r/actions/runs/1001; nothing was changed. If that run is gone, delete the branch cutover-lock/production to release it; or raise lock-timeout.',
    );
  });

  it('looks again after 2 s, then half as long again, at most every 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(lockPollDelayMs)).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000]);
  });
});

/** Time, injectable: the engine asks the clock, so tests drive the watch without waiting. */

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * setTimeout's longest delay, 2^31-1 ms (about 24.8 days). Node fires a longer one after 1 ms (with
 * a TimeoutOverflowWarning): a 600h interval made the watch look every few milliseconds.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` (any length: slept in pieces no longer than MAX_TIMER_MS), or early when
 * `signal` aborts; never rejects. `timer` is setTimeout, injectable for tests.
 */
export function sleepFor(ms: number, signal?: AbortSignal, timer: typeof setTimeout = setTimeout): Promise<void> {
  return new Promise((resolve) => {
    if (!(ms > 0) || signal?.aborted) return resolve();
    const end = Date.now() + ms;
    let handle: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(handle);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const wait = () => {
      const left = end - Date.now();
      if (left <= 0) return done();
      handle = timer(wait, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', done, { once: true });
    wait();
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, signal),
};

/** A clock that moves only when slept on: for tests and simulations. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    sleep: async (ms) => {
      if (ms > 0) time += ms;
    },
    advance: (ms) => {
      time += ms;
    },
  };
}

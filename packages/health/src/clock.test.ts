import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, sleepFor } from './clock.js';

afterEach(() => vi.useRealTimers());

describe('sleepFor', () => {
  it('sleeps any length in pieces setTimeout can hold: 600h is not 1 ms', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    const timer = ((callback: () => void, ms: number) => {
      delays.push(ms);
      return setTimeout(callback, ms);
    }) as unknown as typeof setTimeout;
    let done = false;
    void sleepFor(600 * 3_600_000, undefined, timer).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(600 * 3_600_000 - MAX_TIMER_MS - 1_000);
    expect(done).toBe(true);
    expect(delays).toEqual([MAX_TIMER_MS, 600 * 3_600_000 - MAX_TIMER_MS]);
  });

  it('ends early when its signal aborts, and at once for nothing to wait', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let done = false;
    void sleepFor(60_000, controller.signal).then(() => (done = true));
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    await expect(sleepFor(0)).resolves.toBeUndefined();
    await expect(sleepFor(Number.NaN)).resolves.toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { movedReason, movedUnder } from './moved.js';

describe('a split the canary did not set', () => {
  it('is nothing while the router reads what the canary set, whatever the order of the pools', () => {
    expect(movedUnder({ canary: 5, stable: 95 }, { stable: 95, canary: 5 })).toBeUndefined();
    expect(movedUnder({ stable: 95 }, { stable: 95, canary: 0 })).toBeUndefined();
  });

  it('stops the canary naming who moved traffic, what it found and that it does not restore over it', () => {
    const moved = movedUnder({ stable: 100, canary: 0 }, { stable: 75, canary: 25 })!;
    expect(moved.message).toBe('the router reads {stable: 100, canary: 0} where the canary had set {stable: 75, canary: 25}');
    expect(movedReason(moved, 'rollback #3 (rollback, job rollback, by ana)')).toBe(
      'traffic was moved by rollback #3 (rollback, job rollback, by ana): found {stable: 100, canary: 0} where the canary had set {stable: 75, canary: 25}; the canary stops and leaves traffic as it is, without restoring over it',
    );
    expect(movedReason(moved, undefined)).toMatch(/^traffic was moved by another hand \(the environment lock names no other run\)/);
  });
});

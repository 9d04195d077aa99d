/**
 * One hand on the traffic: canary-step re-reads the split before every step and before any
 * restore. A split it did not set means someone else moved traffic (a rollback, usually, which
 * preempts the lock): the canary stops there and never restores over it. Pure.
 */
import { formatSplit, sameSplit, type Split } from '@cutover/config';

/** Thrown by the steps when the router reads a split the canary did not set. */
export class TrafficMovedError extends Error {
  constructor(
    readonly found: Split,
    readonly expected: Split,
  ) {
    super(`the router reads ${formatSplit(found)} where the canary had set ${formatSplit(expected)}`);
    this.name = 'TrafficMovedError';
  }
}

/** Undefined when the router still reads what the canary set; else the error to stop with. */
export function movedUnder(found: Split, expected: Split): TrafficMovedError | undefined {
  return sameSplit(found, expected) ? undefined : new TrafficMovedError(found, expected);
}

/** The reason the canary gives: who moved traffic (from the lock, when it names them), what it found. */
export function movedReason(moved: TrafficMovedError, by: string | undefined): string {
  const who = by ?? 'another hand (the environment lock names no other run)';
  return `traffic was moved by ${who}: found ${formatSplit(moved.found)} where the canary had set ${formatSplit(moved.expected)}; the canary stops and leaves traffic as it is, without restoring over it`;
}

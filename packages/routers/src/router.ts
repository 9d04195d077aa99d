/** The one router interface, and applying a split all or nothing. */
import * as core from '@actions/core';
import { errorMessage, formatSplit, sameSplit, validateSplit, type Split, type TrafficReader } from '@cutover/config';

/** What a router was like before a change, able to put itself back exactly. */
export interface RouterSnapshot {
  split: Split;
  /** Puts back exactly this state (file bytes, server weights and states, links). */
  restore(): Promise<void>;
}

export interface Router {
  /** The router's kind, as the environment file names it (nginx, haproxy, symlink, command). */
  readonly kind: string;
  /** One line for logs and summaries: what it drives and where. */
  describe(): string;
  /** The names a split may use: the environment's pools, or for symlink the releases present on every host. */
  pools(): Promise<string[]>;
  /** The current split, as the router serves it. */
  read(): Promise<Split>;
  /** The current state, with a way back to it. */
  snapshot(): Promise<RouterSnapshot>;
  /**
   * Changes the router to `next` (complete: every pool named) and returns the split read back.
   * It may throw before or after changing anything; applySplit restores the snapshot then.
   */
  apply(next: Split): Promise<Split>;
  /** The split this router will read back after applying `next` (hosts and weights are whole numbers). */
  expected(next: Split): Split;
  /** Machine-by-machine routers (symlink): the pool (release) each host serves now, in host order. */
  hostReleases?(): Promise<HostRelease[]>;
  /**
   * Routers with instances (a fleet): puts every instance on `next` when they disagree, all or
   * nothing (each instance restored to its own state on any failure). Deliberate: the drift that
   * switches refuse. Returns each instance's split before; nothing changes when they agree.
   */
  converge?(next: Split): Promise<{ converged: boolean; before: { name: string; split: Split }[] }>;
  /**
   * Refuses a split this router cannot serve, before changing anything (HAProxy: a pool with weight
   * and no server in the backend). `apply` calls it first; a dry run calls it instead of `apply`.
   */
  check?(next: Split): Promise<void>;
  /**
   * Load balancers that count their users' requests per server (HAProxy's counters, nginx's access
   * log): a fresh reader, for the `traffic` health check. Absent when the router has no counters.
   */
  traffic?(): TrafficReader;
}

export interface HostRelease {
  host: string;
  release?: string;
}

/** A change that failed; traffic was restored (or, if `restoreError` is set, restoring failed too). */
export class RouterError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
    readonly restoreError?: unknown,
  ) {
    super(message, { cause });
    this.name = 'RouterError';
  }
}

export interface AppliedSplit {
  before: Split;
  after: Split;
  /** False when `next` was already in place and nothing was touched. */
  changed: boolean;
}

/**
 * Runs `step` for every item even when some fail, then throws one error naming each failure: a
 * restore puts back all it can, not only what comes before the first failure. Each step's error
 * names its item (host, server, command). Up to `parallel` items at once (default one by one).
 */
export async function forEachAttempted<T>(items: Iterable<T>, step: (item: T) => Promise<void>, parallel = 1): Promise<void> {
  const failures: unknown[] = [];
  const queue = [...items];
  // `parallel` workers take the items in order: 1 keeps the order strictly (HAProxy's make-before-break).
  const worker = async () => {
    while (queue.length > 0) {
      const item = queue.shift() as T;
      try {
        await step(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, queue.length)) }, worker));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, failures.map(errorMessage).join('; '));
}

/**
 * A split read from a router, checked as an input is: every pool known, whole weights from 0 to
 * 100 summing to 100, or every weight 0 (no pool takes traffic: every server drained or down, no
 * `current` link yet; a state to recover from, never one to refuse). Throws naming `field`.
 */
export function validateRead(split: Split, pools: readonly string[], field: string): Split {
  if (Object.values(split).some((weight) => weight !== 0)) return validateSplit(split, pools, field);
  const unknown = Object.keys(split).find((pool) => !pools.includes(pool));
  if (unknown !== undefined) throw new Error(`${field}: pool "${unknown}" is not in pools (${pools.join(', ')})`);
  return split;
}

/**
 * A split a router read, checked like an input (validateRead). A router that reads anything else
 * (a command printing {"blue": 100, "green": 50}, a negative, 1e400 or a fraction; a file naming
 * an unknown pool) is refused naming the router and what it read, before anything is planned
 * from it.
 */
export function checkedRead(router: Pick<Router, 'describe'>, split: Split, pools: readonly string[]): Split {
  try {
    validateRead(split, pools, 'read');
  } catch (error) {
    throw new Error(`${router.describe()}: read ${formatSplit(split)}, not a split it can serve: ${errorMessage(error).replace(/^read: /, '')}`, {
      cause: error,
    });
  }
  return split;
}

/**
 * The router with every read checked (checkedRead): what createRouter gives, so that no action
 * decides anything from a split no router can serve.
 */
export function checkedRouter(router: Router): Router {
  return {
    ...router,
    read: async () => {
      const split = checkedRead(router, await router.read(), await router.pools());
      core.debug(`router read: ${router.describe()}: ${formatSplit(split)}`);
      return split;
    },
    async snapshot() {
      const snapshot = await router.snapshot();
      checkedRead(router, snapshot.split, await router.pools());
      return snapshot;
    },
  };
}

/** Pools the router knows that are missing from `next` go to 0, so a switch names only its target. */
export function targetSplit(current: Split, next: Split): Split {
  const target: Split = {};
  for (const pool of Object.keys(current)) target[pool] = 0;
  return Object.assign(target, next);
}

/**
 * Applies `next` all or nothing: validates it against the router's pools, reads and keeps the
 * current state (refused when it is no split the router can serve: checkedRead), changes, reads
 * back and compares. On any failure after the snapshot, the previous state is restored exactly,
 * read back to make sure, and a RouterError carrying the cause is thrown: "restored" only when the
 * router reads as it was, else "ALSO FAILED".
 */
export async function applySplit(router: Router, next: Split, field = 'split'): Promise<AppliedSplit> {
  const pools = await router.pools();
  const snapshot = await router.snapshot();
  checkedRead(router, snapshot.split, pools);
  const target = targetSplit(snapshot.split, next);
  validateSplit(target, pools, field);
  if (sameSplit(snapshot.split, target)) {
    core.debug(`applySplit: ${router.describe()} already serves ${formatSplit(target)}: nothing to change`);
    return { before: snapshot.split, after: snapshot.split, changed: false };
  }
  core.debug(`applySplit: ${router.describe()}: ${formatSplit(snapshot.split)} -> ${formatSplit(target)} (${field})`);

  let after: Split;
  try {
    after = checkedRead(router, await router.apply(target), pools);
    const expected = router.expected(target);
    if (!sameSplit(after, expected)) {
      throw new Error(`read back ${formatSplit(after)}, expected ${formatSplit(expected)}`);
    }
  } catch (cause) {
    const what = `${router.describe()}: switching ${formatSplit(snapshot.split)} -> ${formatSplit(target)} failed: ${errorMessage(cause)}`;
    let restoreError: unknown;
    try {
      await snapshot.restore();
      const now = await router.read();
      if (!sameSplit(now, snapshot.split)) restoreError = new Error(`read back ${formatSplit(now)} after restoring`);
    } catch (error) {
      restoreError = error;
    }
    if (restoreError !== undefined)
      throw new RouterError(`${what}; restoring ${formatSplit(snapshot.split)} ALSO FAILED: ${errorMessage(restoreError)}`, cause, restoreError);
    throw new RouterError(`${what}; restored ${formatSplit(snapshot.split)}`, cause);
  }
  core.debug(`applySplit: ${router.describe()} read back ${formatSplit(after)}`);
  return { before: snapshot.split, after, changed: true };
}

/**
 * The lock as the traffic actions use it: blue-green-switch and canary-step take it in turn before
 * they read the router; rollback preempts it beside its traffic move, never before it; every post
 * step lets go. A lock GitHub cannot give (an error, not a holder) is a warning and the run goes
 * on: records never decide where traffic goes, and a slow GitHub never holds a rollback.
 */
import * as core from '@actions/core';
import { errorMessage, formatDuration } from '@cutover/config';
import { input, outside } from '@cutover/runtime';
import { createGitHubClient, type GitHubClient } from './client.js';
import { repoContext, type RepoContext } from './context.js';
import { describeParty, EnvironmentLock, lockBranch, LockTimeoutError, lockParty, releaseSavedLock, type LockParty } from './lock.js';

/** lock-timeout's default: a default canary (4 steps of 1m) and deliver's 10m watch, for a few runs ahead. */
export const DEFAULT_LOCK_TIMEOUT = '1h';

export interface TakenLock {
  lock?: EnvironmentLock;
  /** For the summary: who held it while this run waited, and how long. */
  note: string;
  waitedMs: number;
}

const repoOf = (context: RepoContext) => ({ owner: context.owner, repo: context.repo });

function unavailable(environment: string, error: unknown): string {
  const forbidden = (error as { status?: number }).status === 403 ? ' (the token needs contents: write for the lock branch)' : '';
  return `the ${environment} lock could not be taken: ${errorMessage(error)}${forbidden}`;
}

/**
 * Each lock call's limit, retries included: 5 s, not the records' 20 s. The lock is the one GitHub
 * exchange before traffic moves, so a GitHub that does not answer costs a switch or a canary at
 * most that before it goes on without the lock (a clean-clone CI run found blue-green-switch
 * waiting a record's 20 s on a silent GitHub before it switched).
 */
export const LOCK_CALL_TIMEOUT_MS = 5_000;

/**
 * Waits its turn for the environment's lock (lock-timeout), before anything reads or moves traffic,
 * on a client of its own for `token` whose calls get LOCK_CALL_TIMEOUT_MS each. A wait that runs
 * out refuses, naming the holder, in the error and in the job summary.
 */
export async function takeEnvironmentLock(
  token: string | undefined,
  environment: string,
  action: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TakenLock> {
  const client = createGitHubClient(token, { callTimeoutMs: LOCK_CALL_TIMEOUT_MS });
  if (!client) return { note: 'not taken (no token)', waitedMs: 0 };
  const context = repoContext();
  const lock = new EnvironmentLock(client, repoOf(context), environment, lockParty(action, context));
  try {
    const acquired = await lock.acquire({
      timeoutMs,
      ...(signal ? { signal } : {}),
      onWait: (holder, ahead) => {
        const who = holder ? describeParty(holder) : `${ahead[0] ? describeParty(ahead[0]) : 'the run ahead'}, first in the queue`;
        core.info(outside(`The ${environment} lock is held by ${who}: waiting up to ${formatDuration(timeoutMs)} (lock-timeout).`));
      },
    });
    const waited = acquired.waitedFor.length
      ? `waited ${formatDuration(acquired.waitedMs)} for ${acquired.waitedFor.map(describeParty).join(', then ')}; now `
      : '';
    return { lock, note: `${waited}held by this run (branch ${lock.branch})`, waitedMs: acquired.waitedMs };
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      await core.summary.addRaw(`### ❌ ${action}: ${environment} stays as it was\n\n${outside(error.message)}\n`).write();
      throw error;
    }
    if (signal?.aborted) throw error;
    const line = unavailable(environment, error);
    core.warning(`${line}; going on without it.`);
    return { note: `${line}; went on without it`, waitedMs: 0 };
  }
}

/** Who moved traffic under `lock`'s holder, as the lock file tells it: the preemption, else another holder. */
export async function whoMovedTraffic(lock: EnvironmentLock): Promise<LockParty | undefined> {
  try {
    const { state } = await lock.read();
    if (state.preempted?.holder.id === lock.me.id) return state.preempted.by;
    if (state.holder && state.holder.id !== lock.me.id) return state.holder;
  } catch (error) {
    core.warning(`could not read the ${lock.environment} lock: ${errorMessage(error)}`);
  }
  return undefined;
}

/** Rollback's preemption under way: its summary line once done, and the way back if nothing moved. */
export interface Preempting {
  /** Resolves, never rejects, to the summary's line about the lock. */
  note: Promise<string>;
  /** Nothing moved after all (the rollback was refused): the preempted run holds the lock again. */
  giveBack(): Promise<void>;
}

/**
 * Rollback takes the lock from whoever holds it, started beside the traffic move and never awaited
 * before it: the lock API, slow or down, cannot delay the rollback. The preempted canary, which
 * re-reads the split before each step, finds traffic moved and this run named in the lock.
 */
export function startPreemption(client: GitHubClient, environment: string, action = 'rollback'): Preempting {
  const context = repoContext();
  const lock = new EnvironmentLock(client, repoOf(context), environment, lockParty(action, context));
  let victim: LockParty | undefined;
  const note = lock.preempt().then(
    ({ preempted }) => {
      victim = preempted;
      if (preempted) core.info(outside(`Took the ${environment} lock from ${describeParty(preempted)} (preempted; recorded on the branch ${lock.branch}).`));
      return preempted ? `preempted ${describeParty(preempted)}; held by this run (branch ${lock.branch})` : `held by this run (branch ${lock.branch})`;
    },
    (error: unknown) => {
      const line = unavailable(environment, error);
      core.warning(`${line}; traffic was not held for it.`);
      return line;
    },
  );
  return {
    note,
    giveBack: async () => {
      await note;
      if (!victim) return;
      try {
        await lock.handBack(victim);
        core.info(outside(`Nothing moved: the ${environment} lock goes back to ${describeParty(victim)}.`));
      } catch (error) {
        core.warning(
          `could not give the ${environment} lock back to ${victim.id}: ${errorMessage(error)}; delete the branch ${lockBranch(environment)} if nobody holds it`,
        );
      }
    },
  };
}

/** The post step of blue-green-switch and rollback: lets go of the lock, whatever happened. */
export async function postReleaseLock(): Promise<void> {
  const context = repoContext();
  await releaseSavedLock(createGitHubClient(input('token')), repoOf(context));
}

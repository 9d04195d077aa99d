/**
 * One hand on an environment's traffic: a lock per environment that people can see on GitHub,
 * taken by blue-green-switch and canary-step (waiting their turn) and by rollback (which never
 * waits: it preempts, see preemptLock).
 *
 * Where it lives, and why there: a branch `cutover-lock/<environment>` holding one file,
 * `cutover-lock.json`, that names the holder (workflow, run, job, actor, since when, the run's
 * page) and the runs waiting in turn. github/branch-deploy locks the same way (a lock branch with a
 * lock.json), and for the same reasons: the branch shows in the repository's branches, anyone can
 * read the file, and a lock whose run died is broken by deleting the branch. Of what GitHub's REST
 * API offers, only git refs and the contents API write atomically: creating a ref that exists is
 * refused (422), and updating a file names the blob it replaces (`sha`), refused (409) when another
 * write came first. That compare-and-swap on one file keeps a holder and a first-come-first-served
 * queue consistent between runs on different machines; a bare ref cannot carry the holder's name,
 * and deployments (the other record people see) can be created by anyone at any time, with no
 * test-and-set. The GitHub stand-in of the tests validates these calls against GitHub's OpenAPI
 * description like every other. The cost: the token needs `contents: write`.
 *
 * The pure part (the state, what to do next, preempting, releasing) is tested without I/O; the
 * class at the end does the reading and writing, every call bounded by the client's timeouts.
 */
import * as core from '@actions/core';
import { errorMessage, formatDuration } from '@cutover/config';
import { outside, saveState } from '@cutover/runtime';
import type { RepoRef } from './checks.js';
import type { GitHubClient } from './client.js';
import type { RepoContext } from './context.js';

export const LOCK_FILE = 'cutover-lock.json';
export const LOCK_BRANCH_PREFIX = 'cutover-lock/';
export const lockBranch = (environment: string): string => `${LOCK_BRANCH_PREFIX}${environment}`;

/** A run that holds the lock or waits for it: one job of one workflow run. */
export interface LockParty {
  /**
   * `<run id>/<job>`: every action of one job shares the lock (a canary and the rollback after it in
   * deliver's production job), and a re-run of the job (a new attempt) is the same party, so that
   * it takes over a lock its killed attempt left behind.
   */
  id: string;
  /** The action that took it or waits: canary-step, blue-green-switch, rollback. */
  action: string;
  workflow: string;
  run: number;
  runNumber?: number;
  attempt: number;
  job: string;
  actor: string;
  /** The run's page. */
  url: string;
  sha: string;
  /** ISO: when it took the lock, or began to wait. */
  since: string;
}

/** A run in the queue; it gives up at `until` (its lock-timeout), and is dropped after. */
export interface LockWaiter extends LockParty {
  until: string;
}

/** The last preemption: who moved traffic under whom. Kept until the preempted run has read it. */
export interface Preemption {
  holder: LockParty;
  by: LockParty;
  at: string;
}

export interface LockState {
  cutover: 1;
  environment: string;
  holder: LockParty | null;
  queue: LockWaiter[];
  preempted?: Preemption;
}

export function emptyLock(environment: string): LockState {
  return { cutover: 1, environment, holder: null, queue: [] };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readParty(value: unknown): LockParty | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return undefined;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  const number = (key: string) => (typeof value[key] === 'number' ? (value[key] as number) : 0);
  return {
    id: value.id,
    action: text('action'),
    workflow: text('workflow'),
    run: number('run'),
    ...(typeof value.runNumber === 'number' ? { runNumber: value.runNumber } : {}),
    attempt: number('attempt') || 1,
    job: text('job'),
    actor: text('actor'),
    url: text('url'),
    sha: text('sha'),
    since: text('since'),
  };
}

/**
 * The file's state. A file people edited into something else is not guessed at: it reads as held
 * by nobody known (`unreadable`), so a run waits its lock-timeout and says to delete the branch.
 */
export function parseLock(text: string, environment: string): LockState | { unreadable: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { unreadable: `not JSON (${errorMessage(error)})` };
  }
  if (!isObject(value) || !('holder' in value)) return { unreadable: 'no holder field' };
  const holder = value.holder === null ? null : readParty(value.holder);
  if (holder === undefined) return { unreadable: 'the holder names no run' };
  const queue = (Array.isArray(value.queue) ? value.queue : [])
    .map((entry) => {
      const party = readParty(entry);
      const until = isObject(entry) && typeof entry.until === 'string' ? entry.until : '';
      return party && until ? { ...party, until } : undefined;
    })
    .filter((entry): entry is LockWaiter => entry !== undefined);
  const state: LockState = { cutover: 1, environment, holder, queue };
  if (isObject(value.preempted)) {
    const victim = readParty(value.preempted.holder);
    const by = readParty(value.preempted.by);
    if (victim && by && typeof value.preempted.at === 'string') state.preempted = { holder: victim, by, at: value.preempted.at };
  }
  return state;
}

export function serializeLock(state: LockState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** First come, first served: by when each began to wait, then by id. */
function inTurn(queue: readonly LockWaiter[]): LockWaiter[] {
  return [...queue].sort((a, b) => Date.parse(a.since) - Date.parse(b.since) || a.id.localeCompare(b.id));
}

/** The queue without waiters past their own deadline (they gave up, or died waiting); `keep` stays. */
function live(queue: readonly LockWaiter[], now: Date, keep: string): LockWaiter[] {
  return queue.filter((waiter) => waiter.id === keep || Date.parse(waiter.until) > now.getTime());
}

export type LockStep =
  /** The lock is this party's already (an earlier action of the same job took it). */
  | { action: 'held'; next?: LockState }
  /** Free, and this party is first in turn: write `next` to take it. */
  | { action: 'take'; next: LockState }
  /** Someone holds it or is ahead: `next`, when given, puts this party in the queue (or drops dead waiters). */
  | { action: 'wait'; holder: LockParty | null; ahead: LockWaiter[]; next?: LockState };

/** What `me` does with the lock as it is at `now`. Pure. */
export function nextLockStep(state: LockState, me: LockWaiter, now: Date): LockStep {
  const queue = inTurn(live(state.queue, now, me.id));
  const pruned = queue.length !== state.queue.length;
  const without = queue.filter((waiter) => waiter.id !== me.id);
  if (state.holder?.id === me.id) {
    return without.length !== state.queue.length ? { action: 'held', next: { ...state, queue: without } } : { action: 'held' };
  }
  const position = queue.findIndex((waiter) => waiter.id === me.id);
  const ahead = position === -1 ? queue : queue.slice(0, position);
  if (state.holder === null && ahead.length === 0) {
    const party: LockParty & { until?: string } = { ...me, since: now.toISOString() };
    delete party.until;
    return { action: 'take', next: { ...state, holder: party, queue: without } };
  }
  if (position === -1) return { action: 'wait', holder: state.holder, ahead, next: { ...state, queue: inTurn([...queue, me]) } };
  return { action: 'wait', holder: state.holder, ahead, ...(pruned ? { next: { ...state, queue } } : {}) };
}

/**
 * Rollback takes the lock whoever holds it, and records whom it preempted; the queue stays as it
 * is. The same job (a canary's own rollback step) preempts nobody.
 */
export function preemptLock(state: LockState, me: LockParty, now: Date): { next: LockState; preempted?: LockParty } {
  const holder = state.holder;
  if (holder?.id === me.id) return { next: { ...state, holder: { ...holder, action: me.action } } };
  const next: LockState = { ...state, holder: { ...me, since: now.toISOString() }, queue: state.queue.filter((waiter) => waiter.id !== me.id) };
  if (!holder) return { next };
  return { next: { ...next, preempted: { holder, by: { ...me, since: now.toISOString() }, at: now.toISOString() } }, preempted: holder };
}

/** A preemption undone (the rollback moved nothing): `victim` holds the lock again. Undefined when `me` no longer holds it. */
export function handBackLock(state: LockState, meId: string, victim: LockParty): LockState | undefined {
  if (state.holder?.id !== meId) return undefined;
  const next: LockState = { ...state, holder: victim };
  if (state.preempted?.by.id === meId) delete next.preempted;
  return next;
}

/** How long a preemption is remembered for a preempted run that never came to read it. */
export const PREEMPTION_MEMORY_MS = 24 * 3_600_000;

/**
 * `me` lets go: the lock if it holds it, its place in the queue if it waits, and the preemption
 * record once the preempted run (`me`) has read it. `delete` when nobody holds, waits, or has a
 * preemption still to read: the branch goes, as branch-deploy's does on unlock. Undefined when
 * nothing of `me` is in the file.
 */
export function releaseLock(state: LockState, meId: string, now: Date): { next: LockState; delete: boolean } | undefined {
  const holder = state.holder?.id === meId ? null : state.holder;
  const queue = state.queue.filter((waiter) => waiter.id !== meId && Date.parse(waiter.until) > now.getTime());
  const read = state.preempted && (state.preempted.holder.id === meId || now.getTime() - Date.parse(state.preempted.at) > PREEMPTION_MEMORY_MS);
  if (holder === state.holder && queue.length === state.queue.length && !read) return undefined;
  const next: LockState = { cutover: 1, environment: state.environment, holder, queue, ...(state.preempted && !read ? { preempted: state.preempted } : {}) };
  return { next, delete: holder === null && queue.length === 0 && next.preempted === undefined };
}

/** "deliver #12 (canary-step, job production, by octocat, since 10:02:03Z): https://…/runs/123". */
export function describeParty(party: LockParty): string {
  const run = party.workflow ? `${party.workflow}${party.runNumber ? ` #${party.runNumber}` : party.run ? ` run ${party.run}` : ''}` : `run ${party.run}`;
  const details = [
    party.action,
    party.job ? `job ${party.job}` : '',
    party.actor ? `by ${party.actor}` : '',
    party.since ? `since ${party.since.replace(/\.\d{3}Z$/, 'Z')}` : '',
  ].filter(Boolean);
  return `${run} (${details.join(', ')})${party.url ? `: ${party.url}` : ''}`;
}

/** This job as a party of the lock. */
export function lockParty(action: string, context: RepoContext, env: NodeJS.ProcessEnv = process.env, now = new Date()): LockParty {
  const job = env.GITHUB_JOB ?? '';
  const runNumber = Number(env.GITHUB_RUN_NUMBER) || 0;
  return {
    id: `${context.runId}/${job}`,
    action,
    workflow: context.workflow,
    run: context.runId,
    ...(runNumber ? { runNumber } : {}),
    attempt: context.runAttempt,
    job,
    actor: context.actor,
    url: context.runUrl,
    sha: context.sha,
    since: now.toISOString(),
  };
}

/**
 * Seconds between looks at a held lock: 2 s at first, half as long again each time, at most 15 s:
 * an hour of waiting costs about 240 requests of the 1,000 an hour a workflow's token may make.
 */
export function lockPollDelayMs(poll: number): number {
  return Math.min(15_000, Math.round(2_000 * 1.5 ** poll));
}

/** A wait that ran out: names the holder (and who is ahead) and how to break a dead lock. */
export class LockTimeoutError extends Error {
  constructor(
    readonly environment: string,
    readonly holder: LockParty | null,
    timeoutMs: number,
    ahead: readonly LockWaiter[],
    unreadable?: string,
  ) {
    const by = holder
      ? `held by ${describeParty(holder)}`
      : unreadable
        ? `held through an unreadable ${LOCK_FILE} (${unreadable})`
        : `first promised to ${ahead[0] ? describeParty(ahead[0]) : 'another run'}`;
    const queued = ahead.length > (holder ? 0 : 1) ? `; ${ahead.length} run(s) ahead in the queue` : '';
    super(
      `lock-timeout: waited ${formatDuration(timeoutMs)} for the ${environment} lock, still ${by}${queued}; nothing was changed. ` +
        `If that run is gone, delete the branch ${lockBranch(environment)} to release it; or raise lock-timeout.`,
    );
    this.name = 'LockTimeoutError';
  }
}

/** What the file says now, and the blob it is (for the compare-and-swap); no sha when absent. */
export interface LockSnapshot {
  state: LockState;
  sha?: string;
  unreadable?: string;
}

export interface Acquired {
  /** How long it waited (0 when the lock was free or already its own). */
  waitedMs: number;
  /** Who held the lock while it waited, in the order seen. */
  waitedFor: LockParty[];
}

export interface AcquireOptions {
  timeoutMs: number;
  /** Aborts the wait (a cancelled run): the acquire rejects at once. */
  signal?: AbortSignal;
  /** Told each time the holder it waits for changes (the first time too). */
  onWait?: (holder: LockParty | null, ahead: LockWaiter[]) => void;
  log?: (line: string) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** After losing a write to another run: a moment, so that two runs do not keep colliding. */
const CONFLICT_PAUSE_MS = 250;

const statusOf = (error: unknown) => (error as { status?: number }).status;

/** The lock of one environment, as one party sees it: read, take in turn, preempt, release. */
export class EnvironmentLock {
  readonly branch: string;

  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    readonly environment: string,
    readonly me: LockParty,
  ) {
    this.branch = lockBranch(environment);
  }

  /**
   * An acquire's first look: create the lock branch, which GitHub refuses (422) when it exists.
   * Created, the lock was free (the branch goes when the last party lets go, and nobody else can
   * have written its file yet); refused, the file is read as on every later look. A free lock costs
   * create-ref and the file's put, 2 calls, where reading first cost 4 (the read's 404, a put
   * refused for the missing branch, create-ref, the put again). bench/budget.ts, deliver.yml's good
   * release: blue-green-switch's main step 7 calls before, 5 after; canary-step's 21 before, 18
   * after (with the paused-canary look's cut); the whole run 45 before, 40 after. A lock already
   * held costs one call more (the refused create-ref). The compare-and-swap is unchanged: the file
   * is still written naming the blob it replaces, and none for a new file, which GitHub refuses
   * once another run wrote it.
   */
  private async claim(): Promise<LockSnapshot> {
    try {
      await this.client.rest.git.createRef({ ...this.repo, ref: `refs/heads/${this.branch}`, sha: this.me.sha });
      return { state: emptyLock(this.environment) };
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      return this.read();
    }
  }

  async read(): Promise<LockSnapshot> {
    try {
      const { data } = await this.client.rest.repos.getContent({ ...this.repo, path: LOCK_FILE, ref: this.branch });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
        return { state: emptyLock(this.environment), unreadable: `${LOCK_FILE} is not a file` };
      const parsed = parseLock(Buffer.from(data.content, 'base64').toString('utf8'), this.environment);
      return 'unreadable' in parsed ? { state: emptyLock(this.environment), sha: data.sha, unreadable: parsed.unreadable } : { state: parsed, sha: data.sha };
    } catch (error) {
      // No branch, or a branch without the file yet (its creator is about to write it): free.
      if (statusOf(error) === 404) return { state: emptyLock(this.environment) };
      throw error;
    }
  }

  /** Writes `next` over the blob `sha` (none: the file is new). False when another write came first. */
  async write(next: LockState, sha: string | undefined, message: string): Promise<boolean> {
    const content = Buffer.from(serializeLock(next)).toString('base64');
    const put = async () => {
      try {
        await this.client.rest.repos.createOrUpdateFileContents({
          ...this.repo,
          path: LOCK_FILE,
          branch: this.branch,
          message,
          content,
          ...(sha ? { sha } : {}),
        });
        return 'written' as const;
      } catch (error) {
        const status = statusOf(error);
        // 409: a stale sha; 422: no sha for a file that is there (or one for a file that is not).
        if (status === 409 || status === 422) return 'conflict' as const;
        if (status === 404) return 'no branch' as const;
        throw error;
      }
    };
    const first = await put();
    if (first === 'written') this.touched();
    if (first !== 'no branch') return first === 'written';
    // The branch went since it was read (released): read again.
    if (sha) return false;
    // No branch yet: it starts at the run's commit (any commit of the repository would do).
    try {
      await this.client.rest.git.createRef({ ...this.repo, ref: `refs/heads/${this.branch}`, sha: this.me.sha });
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
    }
    const second = await put();
    if (second === 'written') this.touched();
    return second === 'written';
  }

  private saved = false;

  /** Once this party is in the file, its post step must take it out, whatever happens next. */
  private touched(): void {
    if (this.saved) return;
    this.saved = true;
    saveLockForPost(this);
  }

  /**
   * Takes the lock in turn, waiting up to `timeoutMs` (throws LockTimeoutError, after leaving the
   * queue). Logs what it waits for when that changes, else at most every 30 s.
   */
  async acquire(options: AcquireOptions): Promise<Acquired> {
    // The holder's names come from a file anyone with write access can edit: logged as outside text.
    const log = options.log ?? ((line: string) => core.info(outside(line)));
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    const me: LockWaiter = { ...this.me, since: new Date(started).toISOString(), until: new Date(deadline).toISOString() };
    const waitedFor: LockParty[] = [];
    let logged: { text: string; at: number } | undefined;
    let lastHolder: string | undefined;
    let looked = false;
    for (let poll = 0; ; ) {
      const snapshot = looked ? await this.read() : await this.claim();
      looked = true;
      const now = new Date();
      const step = nextLockStep(snapshot.state, me, now);
      if (step.action === 'held') {
        if (step.next) await this.write(step.next, snapshot.sha, `${this.environment}: ${this.me.action} holds the lock`);
        return { waitedMs: now.getTime() - started, waitedFor };
      }
      if (step.action === 'take' && !snapshot.unreadable) {
        if (await this.write(step.next, snapshot.sha, `${this.environment}: locked by ${describeParty(step.next.holder!)}`))
          return { waitedMs: Date.now() - started, waitedFor };
        await sleep(CONFLICT_PAUSE_MS, options.signal); // another write came first: read again
      }
      const holder = step.action === 'wait' ? step.holder : null;
      const ahead = step.action === 'wait' ? step.ahead : [];
      if (holder && holder.id !== lastHolder) {
        lastHolder = holder.id;
        waitedFor.push(holder);
        options.onWait?.(holder, ahead);
      }
      if (now.getTime() >= deadline) {
        await this.release().catch(() => undefined);
        throw new LockTimeoutError(this.environment, holder, options.timeoutMs, ahead, snapshot.unreadable);
      }
      if (step.action === 'wait' && step.next && !snapshot.unreadable) {
        if (!(await this.write(step.next, snapshot.sha, `${this.environment}: ${describeParty(this.me)} waits`))) {
          await sleep(CONFLICT_PAUSE_MS, options.signal);
          continue;
        }
      }
      const text = holder
        ? `held by ${describeParty(holder)}`
        : snapshot.unreadable
          ? `unreadable (${snapshot.unreadable}); delete the branch ${this.branch} if no run holds it`
          : `promised to ${ahead[0] ? describeParty(ahead[0]) : 'the run ahead'}`;
      if (!logged || logged.text !== text || now.getTime() - logged.at >= 30_000) {
        log(
          `Waiting for the ${this.environment} lock, ${text}${ahead.length ? ` (${ahead.length} ahead in the queue)` : ''}: ${formatDuration(now.getTime() - started)} of lock-timeout ${formatDuration(options.timeoutMs)}.`,
        );
        logged = { text, at: now.getTime() };
      }
      await sleep(Math.min(lockPollDelayMs(poll++), deadline - now.getTime()), options.signal);
    }
  }

  /** Takes the lock from whoever holds it (rollback); returns whom it preempted. A few tries on conflict. */
  async preempt(): Promise<{ preempted?: LockParty }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const snapshot = await this.read();
      const { next, preempted } = preemptLock(snapshot.state, this.me, new Date());
      const message = `${this.environment}: locked by ${describeParty(next.holder!)}${preempted ? `, preempting ${describeParty(preempted)}` : ''}`;
      if (await this.write(next, snapshot.sha, message)) return preempted ? { preempted } : {};
    }
    throw new Error(`the ${this.environment} lock kept changing under five attempts to take it`);
  }

  /** Gives the lock back to the run it preempted (see handBackLock). */
  async handBack(victim: LockParty): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const snapshot = await this.read();
      const next = handBackLock(snapshot.state, this.me.id, victim);
      if (!next || snapshot.unreadable) return;
      if (await this.write(next, snapshot.sha, `${this.environment}: back to ${describeParty(victim)}`)) return;
    }
    throw new Error(`the ${this.environment} lock kept changing under five attempts to give it back`);
  }

  /**
   * Lets go of whatever this party has in the file (see releaseLock). Returns the preemption that
   * named it, if one did (who moved traffic under it), read before it is cleared.
   */
  async release(): Promise<{ released: boolean; preemptedBy?: LockParty }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const snapshot = await this.read();
      if (snapshot.unreadable || !snapshot.sha) return { released: false };
      const preemptedBy = snapshot.state.preempted?.holder.id === this.me.id ? snapshot.state.preempted.by : undefined;
      const held = snapshot.state.holder?.id === this.me.id;
      const release = releaseLock(snapshot.state, this.me.id, new Date());
      if (!release) return { released: false, ...(preemptedBy ? { preemptedBy } : {}) };
      if (release.delete) {
        try {
          await this.client.rest.git.deleteRef({ ...this.repo, ref: `heads/${this.branch}` });
        } catch (error) {
          if (statusOf(error) !== 422) throw error;
        }
        return { released: held, ...(preemptedBy ? { preemptedBy } : {}) };
      }
      if (await this.write(release.next, snapshot.sha, `${this.environment}: ${held ? 'released' : 'left'} by ${describeParty(this.me)}`))
        return { released: held, ...(preemptedBy ? { preemptedBy } : {}) };
    }
    throw new Error(`the ${this.environment} lock kept changing under five attempts to release it`);
  }
}

/** What the main step saves for its post step, which releases the lock whatever happened. */
export const LOCK_STATE = 'cutover-lock';

type SavedLock = { environment: string; me: LockParty };

/** The locks this step has saved, one per environment: a rollback of several environments holds several. */
const savedLocks = new Map<string, SavedLock>();

export function saveLockForPost(lock: EnvironmentLock): void {
  savedLocks.set(lock.environment, { environment: lock.environment, me: lock.me });
  // The runner keeps the last value saved under a name: one lock is saved as it always was, several as a list.
  const saved = [...savedLocks.values()];
  saveState(LOCK_STATE, JSON.stringify(saved.length === 1 ? saved[0] : saved));
}

/**
 * The post step's part: lets go of the lock the main step took or waited for (also after a cancel
 * or a crash), or of each lock it took. Never throws: a GitHub failure is a warning naming the
 * branch to delete.
 */
export async function releaseSavedLock(client: GitHubClient | undefined, repo: RepoRef): Promise<string | undefined> {
  const saved = core.getState(LOCK_STATE);
  if (!saved || !client) return undefined;
  let locks: SavedLock[];
  try {
    const parsed = JSON.parse(saved) as SavedLock | SavedLock[];
    locks = Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    const line = `could not release the environment lock: ${errorMessage(error)}; delete the branch ${lockBranch('')} if this run still holds it`;
    core.warning(line);
    return line;
  }
  const lines: string[] = [];
  for (const { environment, me } of locks) lines.push(await releaseOne(client, repo, environment, me));
  return lines.join('\n');
}

async function releaseOne(client: GitHubClient, repo: RepoRef, environment: string, me: LockParty): Promise<string> {
  try {
    const lock = new EnvironmentLock(client, repo, environment, me);
    const { released } = await lock.release();
    const line = released ? `Released the ${environment} lock.` : `The ${environment} lock was not this job's to release.`;
    core.info(outside(line));
    return line;
  } catch (error) {
    const line = `could not release the ${environment || 'environment'} lock: ${errorMessage(error)}; delete the branch ${lockBranch(environment)} if this run still holds it`;
    core.warning(line);
    return line;
  }
}

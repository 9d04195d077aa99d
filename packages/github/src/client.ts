/**
 * The one GitHub client every action uses: Octokit with the REST methods and pagination (what
 * @actions/github's getOctokit assembles), retries for GitHub's passing failures (5xx, lost
 * connections), throttling for its rate limits, and timeouts: an API that accepts a request and
 * never answers fails the call, naming it, instead of holding the step.
 *
 * Not @actions/github itself: it imports undici and @actions/http-client when it loads, for a
 * fetch of its own, and that was 405 KiB of every bundle and most of an action's start (#15: an
 * action stopping at its first input check took 2.6-3.1 times `node -e 0`). Requests go through
 * httpFetch instead (@cutover/runtime): Node's own fetch, or undici with the runner's proxy
 * variables when any is set, loaded only then.
 */
import * as core from '@actions/core';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { httpFetch } from '@cutover/runtime';
import { restEndpoints } from './endpoints.js';

/** Octokit as @actions/github's getOctokit builds it: the REST methods (those Cutover calls, endpoints.ts) and pagination. */
const GitHubOctokit = Octokit.plugin(restEndpoints, paginateRest);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/**
 * The user agent with the run's orchestration id, as @actions/github sends it (GitHub attributes
 * API calls to the workflow run by it); Octokit's own user agent when the runner sets none.
 */
export function userAgent(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const id = env.ACTIONS_ORCHESTRATION_ID?.trim();
  return id ? `actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}` : undefined;
}

export interface GitHubClientOptions {
  /** GitHub's API origin; default GITHUB_API_URL read now, else https://api.github.com. */
  baseUrl?: string;
  /** Wait before the first retry of a 5xx; the second waits four times as long. Default 500 ms. */
  retryBaseMs?: number;
  /** Milliseconds per second GitHub asks to wait on a rate limit (1000; tests make it small). */
  rateLimitSecondMs?: number;
  /** Longest wait for one answer, before the time an upload needs (default ATTEMPT_TIMEOUT_MS). */
  attemptTimeoutMs?: number;
  /** Longest a whole call may take, retries and waits included (default: see callTimeoutMs). */
  callTimeoutMs?: number;
}

/**
 * One attempt waits at most 20 s for its answer. GitHub ends a request it cannot answer within
 * 10 s with an error answer ("Timeouts" in GitHub's REST API troubleshooting page), so an attempt
 * still unanswered at twice that is held by something that will not answer (a proxy, a dead
 * connection, a hostile endpoint). A timed-out attempt is not retried: a write may have been done
 * although its answer never came (a second POST would make a second deployment), and an endpoint
 * that holds one request holds the next.
 */
export const ATTEMPT_TIMEOUT_MS = 20_000;
/** Uploads (release assets) get one more second per 256 KiB of body: a 100 MB asset, about 7 min. */
export const UPLOAD_BYTES_PER_SECOND = 256 * 1024;
/** Attempts of one call: the first and two retries of a 5xx. */
export const ATTEMPTS = 3;

/** The time one attempt may take: the answer, and the upload of `bodyBytes`. */
export function attemptTimeoutMs(bodyBytes: number, base = ATTEMPT_TIMEOUT_MS): number {
  return base + Math.ceil((bodyBytes / UPLOAD_BYTES_PER_SECOND) * 1000);
}

/**
 * The whole call's deadline, retries and waits included: three attempts, the waits before the two
 * retries (retryBase, then four times it) and the two rate-limit waits GitHub may ask for (at most
 * a minute each): 3 x 20 s + 2.5 s + 2 min = 182.5 s for an ordinary call. A rate-limit wait that
 * would pass the deadline is not waited (see shouldRetryRateLimit): the call fails at once.
 */
export function callTimeoutMs(attemptMs: number, retryBaseMs = 500, rateLimitSecondMs = 1000): number {
  return ATTEMPTS * attemptMs + 5 * retryBaseMs + RATE_LIMIT_RETRIES * RATE_LIMIT_MAX_WAIT_SECONDS * rateLimitSecondMs;
}

/** A GitHub call that got no answer in time; the message names the call (method and route). */
export class GitHubTimeoutError extends Error {
  constructor(
    readonly call: string,
    message: string,
  ) {
    super(message);
    this.name = 'GitHubTimeoutError';
  }
}

/** Rate limits are retried twice, and never when GitHub asks for a wait longer than this. */
export const RATE_LIMIT_RETRIES = 2;
export const RATE_LIMIT_MAX_WAIT_SECONDS = 60;

/**
 * Whether to wait out a rate limit: a deploy step should not sleep until the hourly reset, nor
 * wait past its call's deadline (`remainingSeconds`) only to fail then.
 */
export function shouldRetryRateLimit(retryAfterSeconds: number, retryCount: number, remainingSeconds = Infinity): boolean {
  return retryCount < RATE_LIMIT_RETRIES && retryAfterSeconds <= RATE_LIMIT_MAX_WAIT_SECONDS && retryAfterSeconds < remainingSeconds;
}

/** 4xx answers are GitHub saying no (bad request, no permission, conflict): asking again changes nothing. */
export const DO_NOT_RETRY = Array.from({ length: 100 }, (_, index) => 400 + index);

/**
 * GitHub asks for a second between writes to avoid its secondary rate limits; an API on this
 * machine (the test stand-in, a local proxy) has no such limits, so writes to it are not spaced.
 */
export function spacesWrites(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return !(host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host));
}

// The throttling plugin's write group, minus the one-second spacing (it only calls key().schedule()).
const unspacedGroup = {
  key: () => ({ schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(task(...args)) }),
} as unknown as NonNullable<Extract<ThrottlingOptions, { onRateLimit: unknown }>['write']>;

interface RequestOptions {
  method: string;
  url: string;
  data?: unknown;
  request?: Record<string, unknown>;
}

/** The call a request belongs to (keyed by its options object, which every hook of one call shares). */
const calls = new WeakMap<object, { signal: AbortSignal; deadline: number }>();

const describeCall = (options: RequestOptions) => `${options.method} ${options.url}`;

function bodyBytes(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

function limitHandler(kind: string, secondMs: number) {
  return (retryAfter: number, options: RequestOptions, _octokit: unknown, retryCount: number): boolean => {
    const request = describeCall(options);
    const deadline = calls.get(options)?.deadline;
    const remaining = deadline === undefined ? Infinity : (deadline - Date.now()) / secondMs;
    if (shouldRetryRateLimit(retryAfter, retryCount, remaining)) {
      core.info(`GitHub ${kind} on ${request}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES}).`);
      return true;
    }
    const past = retryAfter >= remaining && retryAfter <= RATE_LIMIT_MAX_WAIT_SECONDS && retryCount < RATE_LIMIT_RETRIES ? ", past the call's deadline" : '';
    core.warning(
      `GitHub ${kind} on ${request}: giving up after ${retryCount} retr${retryCount === 1 ? 'y' : 'ies'} (GitHub asks to wait ${retryAfter} s${past}).`,
    );
    return false;
  };
}

type Hook = { wrap(name: 'request', hook: (request: (options: RequestOptions) => Promise<unknown>, options: RequestOptions) => Promise<unknown>): void };

/**
 * Each attempt's timeout, as a plugin placed before the retry plugin so that it wraps one attempt
 * (hooks registered later wrap those registered earlier). The call's own signal aborts it too.
 */
function attemptTimeouts(baseMs: number) {
  return (octokit: object) => {
    (octokit as { hook: Hook }).hook.wrap('request', async (request, options) => {
      const ms = attemptTimeoutMs(bodyBytes(options.data), baseMs);
      const timeout = AbortSignal.timeout(ms);
      const call = calls.get(options);
      options.request = { ...options.request, signal: call ? AbortSignal.any([call.signal, timeout]) : timeout };
      const timedOut = () => new GitHubTimeoutError(describeCall(options), `GitHub ${describeCall(options)}: no answer within ${formatSeconds(ms)}`);
      let response: unknown;
      try {
        response = await request(options);
      } catch (error) {
        if (timeout.aborted && !call?.signal.aborted) throw timedOut();
        throw error;
      }
      // @octokit/request reads the body and keeps what it got when reading it fails: a body cut by
      // the timeout would pass for an empty answer.
      if (timeout.aborted) throw timedOut();
      return response;
    });
    return {};
  };
}

/** The whole call's deadline: the outermost hook (registered last), around retries and waits. */
function callDeadline(octokit: { hook: Hook }, callMs: (options: RequestOptions) => number): void {
  octokit.hook.wrap('request', async (request, options) => {
    const ms = callMs(options);
    const controller = new AbortController();
    calls.set(options, { signal: controller.signal, deadline: Date.now() + ms });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new GitHubTimeoutError(
          describeCall(options),
          `GitHub ${describeCall(options)}: not done within ${formatSeconds(ms)} (retries and waits included)`,
        );
        controller.abort(error);
        reject(error);
      }, ms);
    });
    const started = Date.now();
    core.debug(`GitHub: ${describeCall(options)}`);
    try {
      const response = await Promise.race([request(options), expired]);
      core.debug(`GitHub: ${describeCall(options)} answered ${(response as { status?: number }).status ?? ''} in ${Date.now() - started} ms`);
      return response;
    } finally {
      clearTimeout(timer);
    }
  });
}

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * A client for `token`, or undefined when there is no token: actions then skip their records
 * (see recordsSkipped) and still do their main job.
 */
export function createGitHubClient(token: string | undefined, options: GitHubClientOptions = {}): GitHubClient | undefined {
  const secret = token?.trim() ?? '';
  if (secret === '') return undefined;
  core.setSecret(secret);
  // GITHUB_API_URL read at each call (GHES, the tests' stand-in), not once when the module loads.
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? '').replace(/\/+$/, '') || 'https://api.github.com';
  const spaced = spacesWrites(baseUrl);
  const secondMs = options.rateLimitSecondMs ?? 1000;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const attemptBase = options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const throttle: ThrottlingOptions = {
    onRateLimit: limitHandler('rate limit', secondMs),
    onSecondaryRateLimit: limitHandler('secondary rate limit', secondMs),
    retryAfterBaseValue: secondMs,
    ...(spaced ? {} : { write: unspacedGroup, notifications: unspacedGroup }),
  };
  const agent = userAgent();
  const Client = GitHubOctokit.plugin(attemptTimeouts(attemptBase), retry, throttling);
  const client: GitHubClient = new Client({
    auth: `token ${secret}`,
    baseUrl,
    ...(agent ? { userAgent: agent } : {}),
    request: { fetch: httpFetch },
    retry: { retries: ATTEMPTS - 1, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: retryBaseMs },
    throttle,
    log: { debug: () => {}, info: () => {}, warn: (message: string) => core.warning(message), error: (message: string) => core.error(message) },
  });
  callDeadline(
    client as unknown as { hook: Hook },
    (request) => options.callTimeoutMs ?? callTimeoutMs(attemptTimeoutMs(bodyBytes(request.data), attemptBase), retryBaseMs, secondMs),
  );
  return client;
}

/** Tells the run once that a record (deployment, check run, issue...) was not written for lack of a token. */
export function recordsSkipped(what: string): void {
  core.notice(`No GitHub token: ${what} skipped; traffic changes still happen.`);
}

/**
 * The one GitHub client every action uses: @actions/github's Octokit with retries for GitHub's
 * passing failures (5xx, lost connections) and throttling for its rate limits.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  /** GitHub's API origin; default GITHUB_API_URL read now, else https://api.github.com. */
  baseUrl?: string;
  /** Wait before the first retry of a 5xx; the second waits four times as long. Default 500 ms. */
  retryBaseMs?: number;
  /** Milliseconds per second GitHub asks to wait on a rate limit (1000; tests make it small). */
  rateLimitSecondMs?: number;
}

/** Rate limits are retried twice, and never when GitHub asks for a wait longer than this. */
export const RATE_LIMIT_RETRIES = 2;
export const RATE_LIMIT_MAX_WAIT_SECONDS = 60;

/** Whether to wait out a rate limit: a deploy step should not sleep until the hourly reset. */
export function shouldRetryRateLimit(retryAfterSeconds: number, retryCount: number): boolean {
  return retryCount < RATE_LIMIT_RETRIES && retryAfterSeconds <= RATE_LIMIT_MAX_WAIT_SECONDS;
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

function limitHandler(kind: string) {
  return (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const request = `${options.method} ${options.url}`;
    if (shouldRetryRateLimit(retryAfter, retryCount)) {
      core.info(`GitHub ${kind} on ${request}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES}).`);
      return true;
    }
    core.warning(`GitHub ${kind} on ${request}: giving up after ${retryCount} retr${retryCount === 1 ? 'y' : 'ies'} (GitHub asks to wait ${retryAfter} s).`);
    return false;
  };
}

/**
 * A client for `token`, or undefined when there is no token: actions then skip their records
 * (see recordsSkipped) and still do their main job.
 */
export function createGitHubClient(token: string | undefined, options: GitHubClientOptions = {}): GitHubClient | undefined {
  const secret = token?.trim() ?? '';
  if (secret === '') return undefined;
  core.setSecret(secret);
  // @actions/github reads GITHUB_API_URL when it is imported; reading it here honours later changes.
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? '').replace(/\/+$/, '') || 'https://api.github.com';
  const spaced = spacesWrites(baseUrl);
  const throttle: ThrottlingOptions = {
    onRateLimit: limitHandler('rate limit'),
    onSecondaryRateLimit: limitHandler('secondary rate limit'),
    retryAfterBaseValue: options.rateLimitSecondMs ?? 1000,
    ...(spaced ? {} : { write: unspacedGroup, notifications: unspacedGroup }),
  };
  return getOctokit(
    secret,
    {
      baseUrl,
      retry: { retries: 2, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: options.retryBaseMs ?? 500 },
      throttle,
      log: { debug: () => {}, info: () => {}, warn: (message: string) => core.warning(message), error: (message: string) => core.error(message) },
    },
    retry,
    throttling,
  );
}

/** Tells the run once that a record (deployment, check run, issue...) was not written for lack of a token. */
export function recordsSkipped(what: string): void {
  core.notice(`No GitHub token: ${what} skipped; traffic changes still happen.`);
}

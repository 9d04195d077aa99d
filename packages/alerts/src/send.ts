/** Delivery with retries. A failed delivery is reported and never changes the caller's verdict. */
import * as core from '@actions/core';
import type { Environment } from '@cutover/config';
import { AlertHttpError, type Alert, type AlertEvent } from './alert.js';
import { createAlerts } from './create.js';

export interface Delivery {
  kind: Alert['kind'];
  label: string;
  delivered: boolean;
  tries: number;
  error?: string;
}

export interface SendOptions {
  /** Tries per alert (default 3). */
  tries?: number;
  /** Wait before the 2nd try; doubled each time (default 1000 ms). A Retry-After answer sets its own wait. */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The longest wait a Retry-After may ask for: 60 s. PagerDuty's Events API limits per routing key
 * per minute, so a minute covers any window it announces; a receiver asking for more is down rather
 * than busy, and the job (often a rollback at 3 a.m.) should not hang on it. A longer Retry-After
 * is waited for 60 s, then tried again, within the same number of tries.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/**
 * Retry-After in milliseconds from `now`: delay-seconds ("2") or an HTTP date ("Wed, 21 Oct 2026
 * 07:28:00 GMT", RFC 9110 §10.2.3); a date in the past is 0. Undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse reads the IMF-fixdate form and the obsolete RFC 850 and asctime forms alike.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type RetryPlan = { retry: true; waitMs: number; why: string } | { retry: false; why: string };

/**
 * Whether a failed try is worth another, and after how long. Only answers that say "later" are
 * retried: 429 and 5xx, after their Retry-After (capped at RETRY_AFTER_CAP_MS) or else the doubling
 * backoff. Any other answer (400 bad payload, 403 revoked webhook, 404...) would be refused again
 * the same way, so it is not retried. No answer at all (refused connection, timeout) is retried
 * with the backoff: that is the receiver or the network being briefly away.
 */
export function retryPlan(error: unknown, attempt: number, backoffMs: number, now: number): RetryPlan {
  const backoff = backoffMs * 2 ** (attempt - 1);
  if (!(error instanceof AlertHttpError)) return { retry: true, waitMs: backoff, why: 'no answer, backoff' };
  if (error.status !== 429 && error.status < 500) return { retry: false, why: `not retried: only 429 and 5xx are` };
  const asked = retryAfterMs(error.retryAfter, now);
  if (asked === undefined) return { retry: true, waitMs: backoff, why: 'no Retry-After, backoff' };
  const waitMs = Math.min(asked, RETRY_AFTER_CAP_MS);
  return { retry: true, waitMs, why: `Retry-After ${error.retryAfter}${asked > RETRY_AFTER_CAP_MS ? ` (capped at ${RETRY_AFTER_CAP_MS / 1000}s)` : ''}` };
}

export async function deliver(alert: Alert, event: AlertEvent, options: SendOptions = {}): Promise<Delivery> {
  const tries = options.tries ?? 3;
  const backoff = options.backoffMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await alert.send(event);
      return { kind: alert.kind, label: alert.label, delivered: true, tries: attempt };
    } catch (caught) {
      const failed = caught instanceof Error ? caught.message : String(caught);
      const plan: RetryPlan = attempt < tries ? retryPlan(caught, attempt, backoff, Date.now()) : { retry: false, why: '' };
      if (!plan.retry) {
        const error = plan.why ? `${failed} (${plan.why})` : failed;
        core.warning(`alert ${alert.label} not delivered after ${attempt} ${attempt === 1 ? 'try' : 'tries'}: ${error}`);
        return { kind: alert.kind, label: alert.label, delivered: false, tries: attempt, error };
      }
      core.info(`alert ${alert.label}: try ${attempt} of ${tries} failed (${failed}; ${plan.why}); trying again in ${plan.waitMs}ms`);
      await sleep(plan.waitMs);
    }
  }
}

/**
 * Sends the event to every alert (of the environment, or those given), all at once. Never throws
 * for a failed delivery: it warns (core.warning) and the result says which were delivered.
 */
export async function sendAlerts(alerts: Alert[] | (Environment & { name?: string }), event: AlertEvent, options: SendOptions = {}): Promise<Delivery[]> {
  const list = Array.isArray(alerts) ? alerts : createAlerts(alerts);
  const stamped = { ...event, at: event.at ?? new Date().toISOString() };
  return Promise.all(list.map((alert) => deliver(alert, stamped, options)));
}

/** One interface for every alert receiver; one file per kind (webhook.ts, slack.ts, pagerduty.ts). */

import { httpFetch, outside } from '@cutover/runtime';

export type AlertKind = 'webhook' | 'slack' | 'pagerduty';

export interface FailingCheck {
  name: string;
  /** What was seen: "p95 2100ms, 9 of 40 failed", "0.2 > max 0.05"... */
  observed: string;
  /** What is allowed: "status 200-299, latency <= 500ms", "<= 0.05"... */
  threshold: string;
}

export interface AlertEvent {
  /** trigger: something is wrong; resolve: it is healthy again (closes PagerDuty incidents). */
  action: 'trigger' | 'resolve';
  /** The action that sends it: health-watch, canary-step, rollback. */
  source: string;
  environment: string;
  /** One line: "production: pool green is unhealthy". */
  title: string;
  /** Why, in a sentence or two. */
  reason: string;
  /** healthy, unhealthy, inconclusive, aborted, rolled-back... */
  verdict?: string;
  pool?: string;
  version?: string;
  commit?: string;
  repository?: string;
  runUrl?: string;
  failingChecks: FailingCheck[];
  /** Every check concerned: a resolve closes each one's incident (dedup key per environment+check). */
  checks: string[];
  severity?: 'critical' | 'error' | 'warning' | 'info';
  /** ISO time of the event; now unless set. */
  at?: string;
}

export interface Alert {
  kind: AlertKind;
  /** For logs, never the secret: "webhook (DEPLOY_WEBHOOK_URL)". */
  label: string;
  /** Delivers once; throws when the receiver does not take it (sendAlerts retries). */
  send(event: AlertEvent): Promise<void>;
}

/** PagerDuty dedup key: stable per environment and check, so a later run can resolve it. */
export function dedupKey(environment: string, check: string): string {
  return `cutover/${environment}/${check}`.slice(0, 255);
}

export const ALERT_TIMEOUT_MS = 10_000;

/** A receiver answered, but not 2xx: the status and its Retry-After header decide whether to retry. */
export class AlertHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The Retry-After header as sent (seconds or an HTTP date), when there was one. */
    readonly retryAfter?: string,
  ) {
    super(message);
    this.name = 'AlertHttpError';
  }
}

/** POSTs JSON; throws with the status and the start of the answer unless 2xx (an AlertHttpError). */
export async function postJson(url: string, body: unknown, timeoutMs = ALERT_TIMEOUT_MS): Promise<void> {
  let response: Response;
  try {
    response = await httpFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'cutover' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs}ms`
        : outside(`${(error as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ''}`);
    throw new Error(why, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    // On one line and made safe to log: the receiver's text goes into the log behind "HTTP nnn:".
    const said = outside(text.slice(0, 200).replace(/\s+/g, ' ').trim());
    throw new AlertHttpError(`HTTP ${response.status}${said ? `: ${said}` : ''}`, response.status, response.headers.get('retry-after') ?? undefined);
  }
}

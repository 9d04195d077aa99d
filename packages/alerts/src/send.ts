/** Delivery with retries. A failed delivery is reported and never changes the caller's verdict. */
import * as core from '@actions/core';
import type { Environment } from '@cutover/config';
import type { Alert, AlertEvent } from './alert.js';
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
  /** Wait before the 2nd try; doubled each time (default 1000 ms). */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function deliver(alert: Alert, event: AlertEvent, options: SendOptions = {}): Promise<Delivery> {
  const tries = options.tries ?? 3;
  const backoff = options.backoffMs ?? 1000;
  let error = '';
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      await alert.send(event);
      return { kind: alert.kind, label: alert.label, delivered: true, tries: attempt };
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      if (attempt < tries) {
        core.info(`alert ${alert.label}: try ${attempt} of ${tries} failed (${error}); trying again`);
        await sleep(backoff * 2 ** (attempt - 1));
      }
    }
  }
  core.warning(`alert ${alert.label} not delivered after ${tries} tries: ${error}`);
  return { kind: alert.kind, label: alert.label, delivered: false, tries, error };
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

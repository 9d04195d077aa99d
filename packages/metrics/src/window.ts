/** The window the figures cover: `since` (a duration back from `until`, or a date) to `until`. Pure. */
import { InputError } from '@cutover/config';

export interface Window {
  /** Milliseconds since the epoch; the window holds since <= t <= until. */
  since: number;
  until: number;
}

export const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };
const DURATION = /^(\d+(?:\.\d+)?)(h|d|w)$/;
// A date (midnight UTC) or a date and time with a zone, as GitHub writes them.
const ISO = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d))?$/;

function parseDate(text: string, field: string): number {
  const value = text.trim();
  const at = Date.parse(value);
  // Date.parse rolls 2026-02-30 over to March: a day that does not exist is refused.
  const day = value.slice(0, 10);
  const dayExists = !Number.isNaN(at) && !Number.isNaN(Date.parse(day)) && new Date(Date.parse(day)).toISOString().startsWith(day);
  if (!ISO.test(value) || !dayExists) {
    throw new InputError(`${field}: expected a date such as 2026-11-01 or 2026-11-01T12:00:00Z, got "${text}"`);
  }
  return at;
}

/**
 * `since`: `30d`, `12h`, `2w` back from `until`, or a date; empty is 30 days. `until`: a date,
 * empty is now. Refused, naming the input, when it is neither or when the window is empty.
 */
export function parseWindow(sinceText: string, untilText: string, now: number): Window {
  const until = untilText.trim() === '' ? now : parseDate(untilText, 'until');
  if (until > now) throw new InputError(`until: ${new Date(until).toISOString()} is in the future`);
  const sinceValue = sinceText.trim() === '' ? '30d' : sinceText.trim();
  const duration = DURATION.exec(sinceValue);
  let since: number;
  if (duration) {
    since = until - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  } else if (/^\d{4}-/.test(sinceValue)) {
    since = parseDate(sinceValue, 'since');
  } else {
    throw new InputError(`since: expected a duration such as 30d, 12h or 2w, or a date such as 2026-11-01, got "${sinceText}"`);
  }
  if (since >= until) throw new InputError(`since: ${new Date(since).toISOString()} is not before until (${new Date(until).toISOString()})`);
  return { since, until };
}

export function windowDays(window: Window): number {
  return (window.until - window.since) / DAY_MS;
}

export function inWindow(window: Window, time: number | undefined): time is number {
  return time !== undefined && time >= window.since && time <= window.until;
}

/** Seven-day buckets from the window's start (the last one may be shorter): the charts' weeks. */
export function weekStarts(window: Window): number[] {
  const starts: number[] = [];
  for (let start = window.since; start < window.until; start += 7 * DAY_MS) starts.push(start);
  return starts;
}

export function weekIndex(window: Window, time: number): number {
  return Math.floor((time - window.since) / (7 * DAY_MS));
}

/** Durations as users write them in YAML and inputs: `500ms`, `90s`, `1m30s`, `10m`, `1h`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

/**
 * The longest duration anything may be given: 120h, the longest a GitHub Actions job may run at
 * all (5 days on self-hosted runners; 6 h on GitHub's). Longer is a mistake that no watch, step or
 * timeout could honour, and it would overflow Node's timers (2^31-1 ms, about 24.8 days: a longer
 * setTimeout fires after 1 ms, so a 600h interval looked every few milliseconds).
 */
export const MAX_DURATION_MS = 120 * 3_600_000;

/** Parses a duration to milliseconds; throws naming `field` when it is not one. */
export function parseDuration(text: string, field: string): number {
  const value = text.trim();
  if (!WHOLE.test(value)) {
    throw new Error(`${field}: expected a duration such as 30s, 1m30s or 10m, got "${text}"`);
  }
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  // Under half a millisecond rounds to 0 ms, which no timer can wait: refused as zero is.
  if (Math.round(total) <= 0) throw new Error(`${field}: expected a duration of at least 1ms, got "${text}"`);
  if (total > MAX_DURATION_MS) throw new Error(`${field}: "${text}" is longer than 120h, the longest a job may run; expected at most 120h`);
  return Math.round(total);
}

/** Formats milliseconds for people: 1500 -> "1.5s", 90000 -> "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
}

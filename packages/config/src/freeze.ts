/**
 * Freeze windows (`environments.<name>.freeze`): times when blue-green-switch and canary-step do not
 * move traffic (rollback always may). Two forms: an absolute window (`from`, `until`: ISO 8601 times
 * with their offset) and a weekly one (`weekly: { days, from, until }`, wall-clock times in
 * `timezone`, an IANA name, UTC when absent). The schema fragment, the checks JSON Schema cannot
 * make, and the pure answer to "is it frozen at t, and until when" live here. Time zones come from
 * Intl (Node's ICU data): no dependency.
 */

export const WEEK_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

export interface AbsoluteFreeze {
  reason: string;
  from: string;
  until: string;
}

export interface WeeklyFreeze {
  reason: string;
  weekly: { days: WeekDay[]; from: string; until: string };
  /** IANA time zone of the weekly times; UTC when absent. */
  timezone?: string;
}

export type FreezeWindow = AbsoluteFreeze | WeeklyFreeze;

/** An instant with its offset: a time without one means a different moment on every runner. */
export const ISO_TIME_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$';
const CLOCK_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
/** `until` may be 24:00, the end of the day. */
const CLOCK_UNTIL_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/** How the loader words an ISO time that does not match (x-expected, as the kinds' patterns). */
const ISO_WORDS = 'an ISO 8601 time with its offset such as 2026-12-20T00:00:00Z';

/** The schema of `environments.<name>.freeze`, wired into the environment block by @cutover/environment's schema.ts. */
export const freezeSchema = {
  type: 'array',
  description:
    'Freeze windows: blue-green-switch and canary-step refuse to move traffic inside one, naming its reason and its end (ignore-freeze: true overrides, and is recorded); rollback is never frozen.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: {
      reason: { type: 'string', minLength: 1, description: 'Why deploys stop: shown when one is refused.' },
      from: {
        type: 'string',
        pattern: ISO_TIME_PATTERN,
        'x-expected': ISO_WORDS,
        description: 'Start of an absolute window: an ISO 8601 time with its offset, e.g. 2026-12-20T00:00:00Z.',
      },
      until: {
        type: 'string',
        pattern: ISO_TIME_PATTERN,
        'x-expected': ISO_WORDS,
        description: 'End of an absolute window (not included), e.g. 2027-01-04T00:00:00Z.',
      },
      weekly: {
        type: 'object',
        additionalProperties: false,
        required: ['days', 'from', 'until'],
        description: 'A window every week: on these days, from one wall-clock time to another, in timezone.',
        properties: {
          days: { type: 'array', minItems: 1, items: { enum: [...WEEK_DAYS] }, description: 'Days the window is on: sun, mon, tue, wed, thu, fri, sat.' },
          from: { type: 'string', pattern: CLOCK_PATTERN, 'x-expected': 'a time of day such as "16:00"', description: 'Start, HH:MM (24-hour clock).' },
          until: {
            type: 'string',
            pattern: CLOCK_UNTIL_PATTERN,
            'x-expected': 'a time of day such as "23:59" (or "24:00")',
            description: 'End, HH:MM, later than from on the same day (24:00 is midnight after); not included.',
          },
        },
      },
      timezone: { type: 'string', minLength: 1, description: 'IANA time zone of weekly times, e.g. Europe/Madrid (default UTC).' },
    },
  },
} as const;

/** A place in the file and what is wrong there, for the loader's ConfigError. */
export interface FreezeProblem {
  segments: (string | number)[];
  message: string;
}

/** Whether Intl knows the zone (an unknown one throws a RangeError). */
export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant of an ISO time (ISO_TIME_PATTERN), or NaN when its fields are no real date or time:
 * Date.parse rolls 2026-02-31 over to March 3 where a typo should be refused.
 */
export function parseIsoTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return Date.parse(text);
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * What the schema cannot say about the windows at `at` (the path of `freeze`): one form per window,
 * from before until, a time zone Intl knows and only with weekly times.
 */
export function checkFreeze(windows: readonly FreezeWindow[] | undefined, at: (string | number)[]): FreezeProblem[] {
  const problems: FreezeProblem[] = [];
  (windows ?? []).forEach((window, index) => {
    const where = [...at, index];
    const absolute = window as Partial<AbsoluteFreeze>;
    const weekly = (window as Partial<WeeklyFreeze>).weekly;
    const zone = (window as Partial<WeeklyFreeze>).timezone;
    const hasAbsolute = absolute.from !== undefined || absolute.until !== undefined;
    if (hasAbsolute && weekly) {
      problems.push({ segments: where, message: 'has from/until and weekly: a window is one or the other' });
      return;
    }
    if (!hasAbsolute && !weekly) {
      problems.push({ segments: where, message: 'needs from and until (an absolute window) or weekly (a window every week)' });
      return;
    }
    if (hasAbsolute) {
      if (absolute.from === undefined || absolute.until === undefined) {
        problems.push({
          segments: [...where, absolute.from === undefined ? 'from' : 'until'],
          message: 'is required with an absolute window (from and until)',
        });
      } else if (Number.isNaN(parseIsoTime(absolute.from))) {
        problems.push({ segments: [...where, 'from'], message: `"${absolute.from}" is not a real time` });
      } else if (Number.isNaN(parseIsoTime(absolute.until))) {
        problems.push({ segments: [...where, 'until'], message: `"${absolute.until}" is not a real time` });
      } else if (parseIsoTime(absolute.from) >= parseIsoTime(absolute.until)) {
        problems.push({ segments: [...where, 'until'], message: `${absolute.until} is not after from (${absolute.from})` });
      }
      if (zone !== undefined) problems.push({ segments: [...where, 'timezone'], message: 'applies to weekly times; from and until carry their own offset' });
      return;
    }
    if (weekly && minutesOf(weekly.from) >= minutesOf(weekly.until)) {
      problems.push({
        segments: [...where, 'weekly', 'until'],
        message: `${weekly.until} is not after from (${weekly.from}); a window over midnight is two days' windows`,
      });
    }
    if (zone !== undefined && !knownTimeZone(zone)) {
      problems.push({ segments: [...where, 'timezone'], message: `"${zone}" is not an IANA time zone such as Europe/Madrid or America/New_York` });
    }
  });
  return problems;
}

/** A freeze in force: every window's reason that holds now, and the first time none holds. */
export interface Frozen {
  reasons: string[];
  /** When deploys may go again: the end of the windows in force, and of those that follow without a gap. */
  until: Date;
}

interface WallClock {
  day: WeekDay;
  minutes: number;
  year: number;
  month: number;
  date: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, zone: string): WallClock {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    day: String(parts.weekday).slice(0, 3).toLowerCase() as WeekDay,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    year: Number(parts.year),
    month: Number(parts.month),
    date: Number(parts.day),
  };
}

/** The instant when the wall clock of `zone` shows `minutes` past midnight of that local date. */
function instantOf(clock: WallClock, minutes: number, zone: string): Date {
  const wanted = Date.UTC(clock.year, clock.month - 1, clock.date, 0, minutes);
  // The zone's offset at a guess, twice: the second corrects a guess on the other side of a DST change.
  let guess = wanted;
  for (let pass = 0; pass < 2; pass++) {
    const shown = wallClock(new Date(guess), zone);
    const shownMs = Date.UTC(shown.year, shown.month - 1, shown.date, 0, shown.minutes);
    guess += wanted - shownMs;
  }
  return new Date(guess);
}

/** The end of `window` when it holds at `at`, else undefined. */
function activeUntil(window: FreezeWindow, at: Date): Date | undefined {
  if ('weekly' in window && window.weekly) {
    const zone = window.timezone ?? 'UTC';
    const clock = wallClock(at, zone);
    const from = minutesOf(window.weekly.from);
    const until = minutesOf(window.weekly.until);
    if (!window.weekly.days.includes(clock.day) || clock.minutes < from || clock.minutes >= until) return undefined;
    const end = instantOf(clock, until, zone);
    // Past a DST change the computed end can fall at or before `at`: a minute on is still in the future.
    return end.getTime() > at.getTime() ? end : new Date(at.getTime() + 60_000);
  }
  const absolute = window as AbsoluteFreeze;
  const from = Date.parse(absolute.from);
  const until = Date.parse(absolute.until);
  return at.getTime() >= from && at.getTime() < until ? new Date(until) : undefined;
}

/**
 * Whether deploys are frozen at `at`, why, and until when. Windows that follow one another without
 * a gap (a Friday evening inside a year-end freeze) make one freeze: `until` is when none holds.
 */
export function frozenAt(windows: readonly FreezeWindow[] | undefined, at: Date): Frozen | undefined {
  const active = (windows ?? []).filter((window) => activeUntil(window, at) !== undefined);
  if (active.length === 0) return undefined;
  let end = at;
  // Each pass moves to the latest end of the windows holding then; bounded for safety (a year of weeks).
  for (let pass = 0; pass < 60; pass++) {
    const ends = (windows ?? []).map((window) => activeUntil(window, end)).filter((until): until is Date => until !== undefined);
    if (ends.length === 0) break;
    end = new Date(Math.max(...ends.map((until) => until.getTime())));
  }
  return { reasons: active.map((window) => window.reason), until: end };
}

/** An ISO time without milliseconds when they are zero: 2027-01-04T00:00:00Z. */
export function isoTime(at: Date): string {
  return at.toISOString().replace('.000Z', 'Z');
}

/** "Year-end freeze, until 2027-01-04T00:00:00Z", for refusals, summaries and deployment records. */
export function describeFreeze(frozen: Frozen): string {
  return `${frozen.reasons.join('; ')}, until ${isoTime(frozen.until)}`;
}

/** What a deploy does about the freeze at `at`: go, go recorded as ignoring it, or refuse (the message). */
export type FreezeVerdict = { action: 'go' } | { action: 'ignored'; frozen: Frozen; record: string } | { action: 'refuse'; frozen: Frozen; message: string };

export function freezeVerdict(environment: { name: string; freeze?: FreezeWindow[] }, at: Date, ignoreFreeze: boolean): FreezeVerdict {
  const frozen = frozenAt(environment.freeze, at);
  if (!frozen) return { action: 'go' };
  const what = describeFreeze(frozen);
  if (ignoreFreeze) return { action: 'ignored', frozen, record: what };
  return {
    action: 'refuse',
    frozen,
    message: `environments.${environment.name}.freeze: ${environment.name} is frozen (${what}); nothing was changed. Deploy after ${isoTime(frozen.until)}, or set ignore-freeze: true (it is recorded on the deployment); rollback is never frozen`,
  };
}

/**
 * DORA performance levels of each figure. Pure.
 *
 * Source: DORA, "Accelerate State of DevOps Report 2024", the software delivery performance
 * levels (https://dora.dev/research/2024/dora-report/). The report's four clusters:
 *
 *   level   deployment frequency              change lead time            change fail rate   failed deployment recovery time
 *   elite   on demand (multiple per day)      less than one day           5%                 less than one hour
 *   high    once per day to once per week     one day to one week         20%                less than one day
 *   medium  once per week to once per month   one week to one month       10%                less than one day
 *   low     once per month to once per 6 mo.  one month to six months      40%                one week to one month
 *
 * The clusters describe teams on all four figures at once; a single figure is given the best
 * level whose published value it meets. The 2024 clusters are not ordered on every figure: the
 * medium cluster's change fail rate (10%) is lower than the high cluster's (20%), and high and
 * medium share "less than one day" of recovery. So a change failure rate of 8% meets high's 20%
 * and is "high", and medium is never given for those two figures alone. Values past the low
 * cluster (deploying less than once per six months, recovering in more than a month) are "low".
 */

export type Band = 'elite' | 'high' | 'medium' | 'low';

export const DORA_SOURCE = {
  title: 'DORA, Accelerate State of DevOps Report 2024: software delivery performance levels',
  url: 'https://dora.dev/research/2024/dora-report/',
};

const HOUR = 3600;
const DAY = 24 * HOUR;

/** What each level needs, in words, for the report and the page. */
export const BAND_RULES: Record<'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'timeToRestore', Record<Band, string>> = {
  deploymentFrequency: {
    elite: 'more than once per day',
    high: 'at least once per week',
    medium: 'at least once per month (30 days)',
    low: 'less than once per month',
  },
  leadTime: { elite: 'less than one day', high: 'less than one week', medium: 'less than one month (30 days)', low: 'one month or more' },
  changeFailureRate: { elite: 'at most 5%', high: 'at most 20%', medium: 'at most 10% (also meets high: high is given)', low: 'more than 20%' },
  timeToRestore: {
    elite: 'less than one hour',
    high: 'less than one day',
    medium: 'less than one day (the same as high: high is given)',
    low: 'one day or more',
  },
};

/** Successful deployments per day. */
export function frequencyBand(perDay: number): Band {
  if (perDay > 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

/** Seconds from commit to production (the median). */
export function leadTimeBand(seconds: number): Band {
  if (seconds < DAY) return 'elite';
  if (seconds < 7 * DAY) return 'high';
  if (seconds < 30 * DAY) return 'medium';
  return 'low';
}

/** Share of changes that failed, 0..1. */
export function failureRateBand(rate: number): Band {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.2) return 'high';
  return 'low';
}

/** Seconds from failure to restored service (the median). */
export function restoreBand(seconds: number): Band {
  if (seconds < HOUR) return 'elite';
  if (seconds < DAY) return 'high';
  return 'low';
}

/** The figures in words for people (summary, page) and as action outputs. Pure. */

/** 42s, 4m10s, 5h12m, 2d3h. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  const hours = Math.round(s / 3600);
  return `${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ''}`;
}

/** 0.1428 -> "14.3%". */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** "2.3 per day", or per week when less than one a day: "3.5 per week". */
export function formatFrequency(perDay: number): string {
  if (perDay >= 1) return `${Number(perDay.toFixed(1))} per day`;
  return `${Number((perDay * 7).toFixed(1))} per week`;
}

/** An output: a plain number, at most 4 decimals; '' for no data. */
export function outputNumber(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : String(Number(value.toFixed(4)));
}

/** A UTC date: 2026-11-22. */
export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** A UTC time for people: 2026-11-22 03:35. */
export function isoMinute(time: number): string {
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? word : many}`;
}

/** Parsing of action inputs, each error naming the input. Pure: callers pass the raw text. */
import { parseDuration } from './duration.js';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function fail(field: string, message: string): never {
  throw new InputError(`${field}: ${message}`);
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** YAML 1.2 core booleans plus the usual spellings; empty takes the default. */
export function parseBoolean(text: string, field: string, fallback?: boolean): boolean {
  const value = text.trim().toLowerCase();
  if (value === '' && fallback !== undefined) return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return fail(field, `expected true or false, got "${text}"`);
}

/** A duration input; empty takes the default (which may be undefined). */
export function parseDurationInput(text: string, field: string, fallback?: number): number | undefined {
  if (text.trim() === '') return fallback;
  try {
    return parseDuration(text, field);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}

/**
 * Canary weights: `5,25,50,100` (commas, spaces or new lines). Whole numbers from 1 to 100,
 * strictly ascending, ending at 100 unless `allowPartial` (a run that stops at a manual gate).
 */
export function parseWeights(text: string, field: string, options: { allowPartial?: boolean } = {}): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) fail(field, 'expected a list of weights such as 5,25,50,100');
  const weights = parts.map((part) => {
    if (!/^\d+$/.test(part)) fail(field, `"${part}" is not a whole number from 1 to 100`);
    const weight = Number(part);
    if (weight < 1 || weight > 100) fail(field, `${weight} is outside 1 to 100`);
    return weight;
  });
  return checkWeights(weights, field, options);
}

/** The rules of `parseWeights`, for weights that arrive as numbers (the environment file). */
export function checkWeights(weights: number[], field: string, options: { allowPartial?: boolean } = {}): number[] {
  weights.forEach((weight, index) => {
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) fail(field, `${weight} is not a whole number from 1 to 100`);
    const previous = weights[index - 1];
    if (previous !== undefined && weight <= previous) {
      fail(field, `weights must ascend, but ${weight} follows ${previous}`);
    }
  });
  if (!options.allowPartial && weights.at(-1) !== 100) fail(field, `the last weight must be 100, got ${weights.at(-1)}`);
  return weights;
}

/** Multi-line globs: one per line (or comma-separated), comments and blank lines dropped. */
export function parseGlobs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((line) => (line.includes(',') && !line.includes('{') ? line.split(',') : [line]))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * One environment or several, in the order given: `production-us, production-eu`, or one per line.
 * Blank entries are dropped. A name twice is refused, and so is a space inside a name (no
 * environment's name has one: two names meant as a list), naming the input; whether each name is an
 * environment of the file is the loader's to say.
 */
export function parseEnvironmentNames(text: string, field: string): string[] {
  const names = text
    .split(/[\r\n,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) fail(field, 'input required and not supplied');
  for (const [index, name] of names.entries()) {
    if (/\s/.test(name)) fail(field, `"${name}" is not one environment's name: separate several environments with commas or new lines`);
    if (names.indexOf(name) !== index) fail(field, `${name} is named twice`);
  }
  return names;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(text: string, field: string, choices: readonly T[], fallback?: T): T {
  const value = text.trim();
  if (value === '' && fallback !== undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  return fail(field, `expected one of ${choices.join(', ')}, got "${text}"`);
}

/** A positive whole number. */
export function parseCount(text: string, field: string, fallback?: number): number | undefined {
  const value = text.trim();
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) fail(field, `expected a whole number of at least 1, got "${text}"`);
  return Number(value);
}

/** An absolute http(s) URL. */
export function parseUrl(text: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return fail(field, `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(field, `"${text}" is not an http or https URL`);
  return url;
}

export const RATE_PATTERN = '^[0-9]+(\\.[0-9]+)?%$';

/**
 * A share, written as a number (0.01) or a percentage ("1%"); `max` bounds it (1 for error rates,
 * more for a latency tolerance such as "50%" or 2).
 */
export function parseRate(value: number | string, field: string, max = 1): number {
  const rate = typeof value === 'number' ? value : new RegExp(RATE_PATTERN).test(value.trim()) ? Number(value.trim().slice(0, -1)) / 100 : NaN;
  if (!Number.isFinite(rate) || rate < 0 || rate > max) {
    throw new InputError(`${field}: expected a share from 0 to ${max} such as 0.01 or "1%", got ${JSON.stringify(value)}`);
  }
  return rate;
}

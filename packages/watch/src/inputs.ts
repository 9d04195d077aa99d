/** health-watch's inputs, each checked and named, before anything runs. */
import { formatDuration, InputError, parseChoice, parseDuration, parseDurationInput, poolAddressesOf, type NamedEnvironment } from '@cutover/config';
import { createChecks, defaultDeadline, parseCheckNames, type Check, type PoolRef } from '@cutover/health';
import { createRouter, poolAddresses } from '@cutover/routers';
import { input } from '@cutover/runtime';

export interface WatchInputs {
  target: PoolRef;
  baseline?: PoolRef;
  checks: Check[];
  duration: number;
  interval: number;
  deadline: number;
  inconclusive: 'fail' | 'pass';
  version: string;
}

export const DEFAULT_DURATION = '5m';
export const DEFAULT_INTERVAL = '10s';

/** A pool's addresses; for a symlink router the name is a release, served by the hosts that run it. */
async function pool(environment: NamedEnvironment, name: string, field: string): Promise<PoolRef> {
  const symlink = environment.router.kind === 'symlink';
  const addresses = symlink ? await poolAddresses(environment, createRouter(environment), name) : poolAddressesOf(environment.pools, name);
  if (!addresses) {
    const what = symlink
      ? `a release on the hosts of environments.${environment.name}.router`
      : `a pool of environments.${environment.name}.pools (it has: ${Object.keys(environment.pools).join(', ')})`;
    throw new InputError(`${field}: "${name}" is not ${what}`);
  }
  return { name, addresses };
}

/** The pool taking the most traffic, read from the router; the only pool when there is one. */
async function busiestPool(environment: NamedEnvironment): Promise<string> {
  const symlink = environment.router.kind === 'symlink';
  const names = Object.keys(environment.pools);
  if (names.length === 1 && !symlink) return names[0]!;
  let split: Record<string, number>;
  try {
    split = await createRouter(environment).read();
  } catch (error) {
    throw new InputError(`target: not set, and the router could not be read to find the live pool (${(error as Error).message}); set target`);
  }
  const [name] = Object.entries(split).sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!name || (!symlink && !poolAddressesOf(environment.pools, name)))
    throw new InputError(`target: not set, and the router's busiest pool "${name ?? 'none'}" is not a pool of the environment; set target`);
  return name;
}

/** What the inputs say on their own, checked before the environment file is even read. */
export interface RawInputs {
  duration?: number;
  interval?: number;
  deadline?: number;
  inconclusive?: 'fail' | 'pass';
  checks: string[];
  target: string;
  baseline: string;
  version: string;
}

export function readRawInputs(): RawInputs {
  const inconclusive = input('inconclusive').trim();
  const raw: RawInputs = {
    checks: parseCheckNames(input('checks')),
    target: input('target').trim(),
    baseline: input('baseline').trim(),
    version: input('version').trim(),
  };
  const duration = parseDurationInput(input('duration'), 'duration');
  const interval = parseDurationInput(input('interval'), 'interval');
  const deadline = parseDurationInput(input('deadline'), 'deadline');
  if (duration !== undefined) raw.duration = duration;
  if (interval !== undefined) raw.interval = interval;
  if (deadline !== undefined) raw.deadline = deadline;
  if (inconclusive) raw.inconclusive = parseChoice(inconclusive, 'inconclusive', ['fail', 'pass'] as const);
  if (raw.deadline !== undefined && raw.duration !== undefined && raw.deadline < raw.duration)
    throw new InputError(`deadline: ${input('deadline')} is shorter than the duration`);
  if (raw.baseline && raw.baseline === raw.target) throw new InputError(`baseline: "${raw.baseline}" is the target itself; compare with another pool`);
  return raw;
}

/** The inputs completed by the environment's health settings, its pools and its router. */
export async function readInputs(environment: NamedEnvironment, raw: RawInputs): Promise<WatchInputs> {
  const health = environment.health ?? {};
  const at = `environments.${environment.name}.health`;
  const duration = raw.duration ?? parseDuration(health.duration ?? DEFAULT_DURATION, `${at}.duration`);
  const interval = raw.interval ?? parseDuration(health.interval ?? DEFAULT_INTERVAL, `${at}.interval`);
  // Where each came from, said: the input, the file's field, or the default. The timings the file
  // sets are compared here, with the inputs that replace them, not at load: an input may mend them.
  const from = (name: 'duration' | 'interval') => (raw[name] !== undefined ? name : health[name] !== undefined ? `${at}.${name}` : `the default ${name}`);
  if (interval > duration) {
    if (raw.interval === undefined && health.interval === undefined)
      throw new InputError(`${from('duration')}: ${formatDuration(duration)} is shorter than the default interval (${formatDuration(interval)}); set interval`);
    throw new InputError(
      `${from('interval')}: ${formatDuration(interval)} is longer than ${from('duration')} (${formatDuration(duration)}); nothing would be watched twice`,
    );
  }
  if (raw.deadline !== undefined && raw.deadline < duration)
    throw new InputError(`deadline: ${formatDuration(raw.deadline)} is shorter than ${from('duration')} (${formatDuration(duration)})`);
  const configured = health.deadline === undefined ? undefined : parseDuration(health.deadline, `${at}.deadline`);
  // The file's deadline shorter than the watch was raised to it without a word: refused, as the input is.
  if (raw.deadline === undefined && configured !== undefined && configured < duration)
    throw new InputError(
      `${at}.deadline: ${formatDuration(configured)} is shorter than ${from('duration')} (${formatDuration(duration)}); the deadline is the longest a watch may last: raise it, or set the deadline input`,
    );
  const deadline = raw.deadline ?? configured ?? defaultDeadline(duration);
  const inconclusive = raw.inconclusive ?? health.inconclusive ?? 'fail';
  const router = createRouter(environment);
  const checks = createChecks(environment, raw.checks, 'checks', router.traffic ? { traffic: () => router.traffic!() } : {});

  const baseline = raw.baseline ? await pool(environment, raw.baseline, 'baseline') : undefined;
  const target = await pool(environment, raw.target || (await busiestPool(environment)), raw.target ? 'target' : 'target (the live pool)');
  if (baseline && baseline.name === target.name) throw new InputError(`baseline: "${baseline.name}" is the target itself; compare with another pool`);
  const lonely = checks.filter((check) => check.needsBaseline);
  if (lonely.length && !baseline) {
    throw new InputError(
      `baseline: ${lonely.map((check) => check.name).join(', ')} only compare${lonely.length === 1 ? 's' : ''} with a baseline pool; set baseline, or choose other checks`,
    );
  }
  return { target, ...(baseline ? { baseline } : {}), checks, duration, interval, deadline, inconclusive, version: raw.version };
}

/** health-watch's inputs, each checked and named, before anything runs. */
import { InputError, parseChoice, parseDuration, parseDurationInput, type NamedEnvironment } from '@cutover/config';
import { createChecks, parseCheckNames, type Check, type PoolRef } from '@cutover/health';
import { createRouter } from '@cutover/routers';
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

function pool(environment: NamedEnvironment, name: string, field: string): PoolRef {
  const addresses = environment.pools[name];
  if (!addresses) throw new InputError(`${field}: "${name}" is not a pool of environments.${environment.name}.pools (it has: ${Object.keys(environment.pools).join(', ')})`);
  return { name, addresses };
}

/** The pool taking the most traffic, read from the router; the only pool when there is one. */
async function livePool(environment: NamedEnvironment): Promise<string> {
  const names = Object.keys(environment.pools);
  if (names.length === 1) return names[0]!;
  let split: Record<string, number>;
  try {
    split = await createRouter(environment).read();
  } catch (error) {
    throw new InputError(`target: not set, and the router could not be read to find the live pool (${(error as Error).message}); set target`);
  }
  const [name] = Object.entries(split).sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!name || !environment.pools[name]) throw new InputError(`target: not set, and the router's busiest pool "${name ?? 'none'}" is not a pool of the environment; set target`);
  return name;
}

export async function readInputs(environment: NamedEnvironment): Promise<WatchInputs> {
  const health = environment.health ?? {};
  const at = `environments.${environment.name}.health`;
  // Cheap checks first: a bad input is refused before the router is asked anything.
  const duration = parseDurationInput(input('duration'), 'duration') ?? parseDuration(health.duration ?? DEFAULT_DURATION, `${at}.duration`);
  const interval = parseDurationInput(input('interval'), 'interval') ?? parseDuration(health.interval ?? DEFAULT_INTERVAL, `${at}.interval`);
  if (interval > duration) throw new InputError(`interval: ${input('interval') || health.interval} is longer than the duration; nothing would be watched twice`);
  const deadlineInput = parseDurationInput(input('deadline'), 'deadline');
  if (deadlineInput !== undefined && deadlineInput < duration) throw new InputError(`deadline: ${input('deadline')} is shorter than the duration`);
  const configured = health.deadline === undefined ? undefined : parseDuration(health.deadline, `${at}.deadline`);
  const deadline = deadlineInput ?? Math.max(duration, configured ?? 2 * duration);
  const inconclusive = parseChoice(input('inconclusive'), 'inconclusive', ['fail', 'pass'] as const, health.inconclusive ?? 'fail');
  const checks = createChecks(environment, parseCheckNames(input('checks')));

  const baselineName = input('baseline').trim();
  const baseline = baselineName ? pool(environment, baselineName, 'baseline') : undefined;
  const targetName = input('target').trim() || (await livePool(environment));
  const target = pool(environment, targetName, input('target').trim() ? 'target' : 'target (the live pool)');
  if (baseline && baseline.name === target.name) throw new InputError(`baseline: "${baseline.name}" is the target itself; compare with another pool`);
  const lonely = checks.filter((check) => check.needsBaseline);
  if (lonely.length && !baseline) {
    throw new InputError(`baseline: ${lonely.map((check) => check.name).join(', ')} only compare${lonely.length === 1 ? 's' : ''} with a baseline pool; set baseline, or choose other checks`);
  }
  return { target, ...(baseline ? { baseline } : {}), checks, duration, interval, deadline, inconclusive, version: input('version').trim() };
}

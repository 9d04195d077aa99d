/** Checks from the environment file, by kind: one line per kind, its factory in its own file. */
import { InputError, type CheckConfig, type Environment, type TrafficReader } from '@cutover/config';
import type { Check } from '../check.js';
import { commandCheck } from './command.js';
import { httpCheck } from './http.js';
import { prometheusCheck } from './prometheus.js';
import { trafficCheck } from './traffic.js';

/** What some sources need from outside the health package: the router's traffic counters. */
export interface CheckEdges {
  /** A fresh reader of the router's per-server counters, when the router has them. */
  traffic?: () => TrafficReader;
  /** For messages: the router's kind. */
  routerKind?: string;
}

type Factory = (config: CheckConfig, path: string, edges: CheckEdges) => Check;

const KINDS: Record<string, Factory> = {
  http: (config, path) => httpCheck(config as CheckConfig & { http: NonNullable<CheckConfig['http']> }, path),
  traffic: (config, path, edges) => {
    if (!edges.traffic) {
      throw new InputError(
        `${path}.traffic: the ${edges.routerKind ?? 'environment\'s'} router counts no traffic; traffic checks read HAProxy's counters or nginx's access log (router.access-log)`,
      );
    }
    return trafficCheck(config as CheckConfig & { traffic: NonNullable<CheckConfig['traffic']> }, edges.traffic, path);
  },
  prometheus: (config, path) => prometheusCheck(config as CheckConfig & { prometheus: NonNullable<CheckConfig['prometheus']> }, path),
  command: (config, path) => commandCheck(config as CheckConfig & { command: NonNullable<CheckConfig['command']> }, path),
};

export function createCheck(config: CheckConfig, path = `health.checks.${config.name}`, edges: CheckEdges = {}): Check {
  const kind = Object.keys(KINDS).find((name) => config[name as keyof CheckConfig] !== undefined);
  if (!kind) throw new InputError(`${path}: a check needs one of ${Object.keys(KINDS).join(', ')}`);
  return KINDS[kind]!(config, path, edges);
}

/**
 * The environment's checks, or those named (the `checks` input: an unknown name is an error naming
 * the input and listing the names the environment has). No check at all is an error too: a watch
 * with nothing to watch would pass on no evidence.
 */
export function createChecks(environment: Environment & { name?: string }, names?: string[], field = 'checks', edges: CheckEdges = {}): Check[] {
  const configs = environment.health?.checks ?? [];
  const where = `environments.${environment.name ?? '?'}.health.checks`;
  const wanted = names && names.length ? names : undefined;
  if (wanted) {
    const unknown = wanted.filter((name) => !configs.some((config) => config.name === name));
    if (unknown.length) {
      const have = configs.map((config) => config.name).join(', ') || 'none';
      throw new InputError(`${field}: no check named ${unknown.map((name) => `"${name}"`).join(', ')} in ${where} (it has: ${have})`);
    }
  }
  const chosen = wanted ? configs.filter((config) => wanted.includes(config.name)) : configs;
  if (chosen.length === 0) throw new InputError(`${where}: the environment has no health checks; add at least one (http, traffic, prometheus or command)`);
  return chosen.map((config) => createCheck(config, `${where}[${configs.indexOf(config)}]`, { routerKind: environment.router.kind, ...edges }));
}

/** Splits the `checks` input: names separated by commas or new lines. */
export function parseCheckNames(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

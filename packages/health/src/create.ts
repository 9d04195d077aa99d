/** Checks from the environment file, by name. */
import { InputError, type CheckConfig, type CommandCheckConfig, type Environment, type HttpCheckConfig, type PrometheusCheckConfig } from '@cutover/config';
import type { Check } from './check.js';
import { commandCheck } from './command.js';
import { httpCheck } from './http.js';
import { prometheusCheck } from './prometheus.js';

export function createCheck(config: CheckConfig, path = `health.checks.${config.name}`): Check {
  if (config.http) return httpCheck(config as CheckConfig & { http: HttpCheckConfig }, path);
  if (config.prometheus) return prometheusCheck(config as CheckConfig & { prometheus: PrometheusCheckConfig }, path);
  if (config.command) return commandCheck(config as CheckConfig & { command: CommandCheckConfig }, path);
  throw new InputError(`${path}: a check needs one of http, prometheus, command`);
}

/**
 * The environment's checks, or those named (the `checks` input: an unknown name is an error naming
 * the input and listing the names the environment has). No check at all is an error too: a watch
 * with nothing to watch would pass on no evidence.
 */
export function createChecks(environment: Environment & { name?: string }, names?: string[], field = 'checks'): Check[] {
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
  if (chosen.length === 0) throw new InputError(`${where}: the environment has no health checks; add at least one (http, prometheus or command)`);
  return chosen.map((config) => createCheck(config, `${where}[${configs.indexOf(config)}]`));
}

/** Splits the `checks` input: names separated by commas or new lines. */
export function parseCheckNames(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

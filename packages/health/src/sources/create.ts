/** Checks from the environment file, by kind (registry.ts). */
import { InputError, type CheckConfig, type Environment } from '@cutover/config';
import type { Check } from '../check.js';
import type { CheckEdges } from './kind.js';
import { CHECK_KINDS } from './registry.js';

export function createCheck(config: CheckConfig, path = `health.checks.${config.name}`, edges: CheckEdges = {}): Check {
  const provider = CHECK_KINDS.find((kind) => config[kind.kind] !== undefined);
  if (!provider) throw new InputError(`${path}: a check needs one of ${CHECK_KINDS.map((kind) => kind.kind).join(', ')}`);
  return provider.create(config, path, edges);
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
  if (chosen.length === 0)
    throw new InputError(`${where}: the environment has no health checks; add at least one (${CHECK_KINDS.map((kind) => kind.kind).join(', ')})`);
  return chosen.map((config) => createCheck(config, `${where}[${configs.indexOf(config)}]`, { routerKind: environment.router.kind, ...edges }));
}

/** Splits the `checks` input: names separated by commas or new lines. */
export function parseCheckNames(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

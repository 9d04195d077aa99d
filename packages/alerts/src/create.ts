/** Alerts from the environment file, by kind (registry.ts). */
import type { AlertConfig, Environment } from '@cutover/config';
import type { Alert } from './alert.js';
import { ALERT_KINDS } from './registry.js';
import { AlertConfigError } from './secrets.js';

export function createAlert(config: AlertConfig, path: string, env: NodeJS.ProcessEnv = process.env): Alert {
  const provider = ALERT_KINDS.find((kind) => config[kind.kind] !== undefined);
  if (!provider) throw new AlertConfigError(`${path}: an alert needs one of ${ALERT_KINDS.map((kind) => kind.kind).join(', ')}`);
  return provider.create(config[provider.kind], `${path}.${provider.kind}`, env);
}

/**
 * Every alert of the environment. Call it before changing anything: a missing variable is an error
 * naming the variable and the config path, and nothing has happened yet.
 */
export function createAlerts(environment: Environment & { name?: string }, env: NodeJS.ProcessEnv = process.env): Alert[] {
  return (environment.alerts ?? []).map((config, index) => createAlert(config, `environments.${environment.name ?? '?'}.alerts[${index}]`, env));
}

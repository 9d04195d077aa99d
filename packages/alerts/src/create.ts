/** Alerts from the environment file; URLs and keys come from the environment variables it names. */
import * as core from '@actions/core';
import type { AlertConfig, Environment } from '@cutover/config';
import { withholdFromChildren } from '@cutover/runtime';
import type { Alert } from './alert.js';
import { pagerDutyAlert } from './pagerduty.js';
import { slackAlert } from './slack.js';
import { webhookAlert } from './webhook.js';

export class AlertConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertConfigError';
  }
}

function secret(variable: string, path: string, env: NodeJS.ProcessEnv): string {
  const value = env[variable]?.trim();
  if (!value) {
    throw new AlertConfigError(`${path}: the environment variable ${variable} is not set; give it to the step (env: ${variable}: \${{ secrets.${variable} }})`);
  }
  core.setSecret(value);
  // A secret of the action: the programs it starts never see it.
  withholdFromChildren([variable]);
  return value;
}

function url(variable: string, path: string, env: NodeJS.ProcessEnv): string {
  const value = secret(variable, path, env);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // Never print the value: it is a secret.
    throw new AlertConfigError(`${path}: the environment variable ${variable} does not hold a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AlertConfigError(`${path}: the environment variable ${variable} does not hold an http(s) URL`);
  return value;
}

export function createAlert(config: AlertConfig, path: string, env: NodeJS.ProcessEnv = process.env): Alert {
  if ('webhook' in config) {
    const variable = config.webhook['url-env'];
    return webhookAlert(url(variable, `${path}.webhook.url-env`, env), `webhook (${variable})`);
  }
  if ('slack' in config) {
    const variable = config.slack['url-env'];
    return slackAlert(url(variable, `${path}.slack.url-env`, env), `slack (${variable})`);
  }
  const pagerduty = config.pagerduty;
  const variable = pagerduty['routing-key-env'];
  return pagerDutyAlert(secret(variable, `${path}.pagerduty.routing-key-env`, env), `pagerduty (${variable})`, {
    ...(pagerduty.url ? { url: pagerduty.url } : {}),
    ...(pagerduty.severity ? { severity: pagerduty.severity } : {}),
  });
}

/**
 * Every alert of the environment. Call it before changing anything: a missing variable is an error
 * naming the variable and the config path, and nothing has happened yet.
 */
export function createAlerts(environment: Environment & { name?: string }, env: NodeJS.ProcessEnv = process.env): Alert[] {
  return (environment.alerts ?? []).map((config, index) => createAlert(config, `environments.${environment.name ?? '?'}.alerts[${index}]`, env));
}

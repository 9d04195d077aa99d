/** Alert secrets: URLs and keys come from the environment variables the environment file names. */
import * as core from '@actions/core';
import { withholdFromChildren } from '@cutover/runtime';

export class AlertConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertConfigError';
  }
}

export function secret(variable: string, path: string, env: NodeJS.ProcessEnv): string {
  const value = env[variable]?.trim();
  if (!value) {
    throw new AlertConfigError(`${path}: the environment variable ${variable} is not set; give it to the step (env: ${variable}: \${{ secrets.${variable} }})`);
  }
  core.setSecret(value);
  // A secret of the action: the programs it starts never see it.
  withholdFromChildren([variable]);
  return value;
}

export function secretUrl(variable: string, path: string, env: NodeJS.ProcessEnv): string {
  const value = secret(variable, path, env);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // Never print the value: it is a secret.
    throw new AlertConfigError(`${path}: the environment variable ${variable} does not hold a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new AlertConfigError(`${path}: the environment variable ${variable} does not hold an http(s) URL`);
  return value;
}

/** What every action's main.ts shares: reading inputs with their names, failing clearly. */
import * as core from '@actions/core';
import { alertVariables, DEFAULT_CONFIG_PATH, errorMessage, InputError, loadEnvironment, type NamedEnvironment } from '@cutover/config';
import { withholdFromChildren } from './child-env.js';

/** The raw text of an input ('' when unset); hyphens are kept, as the runner keeps them. */
export function input(name: string): string {
  return core.getInput(name);
}

export function requiredInput(name: string): string {
  const value = core.getInput(name).trim();
  if (value === '') throw new InputError(`${name}: input required and not supplied`);
  return value;
}

/** The `config` input: the environment file's path, `.github/cutover.yml` when unset. */
export function configInput(): string {
  return input('config') || DEFAULT_CONFIG_PATH;
}

/**
 * Loads the environment named by the `environment` input from the `config` input's file. Its alert
 * variables are withheld from every child process started from here on (see childEnvironment).
 */
export async function environmentFromInputs(): Promise<NamedEnvironment> {
  const name = requiredInput('environment');
  const environment = await loadEnvironment(name, configInput(), process.env.GITHUB_WORKSPACE || process.cwd());
  withholdFromChildren(alertVariables(environment));
  return environment;
}

/**
 * Runs an action's main function: any error becomes one `core.setFailed` with its message,
 * so that users read what is wrong, and the exit code is 1.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

/**
 * One bundle serves an action's main step and its post step (action.yml: post, post-if: always()).
 * The runner gives the post step the main step's saved state: finding `started` is being the post
 * step. The main step saves it at once, so that its own post step knows itself.
 */
export function isPostStep(): boolean {
  const isPost = core.getState('started') === 'true';
  if (!isPost) core.saveState('started', 'true');
  return isPost;
}

/** The environment an action works on, from its `environment` and `config` inputs. */
import type { NamedEnvironment } from '@cutover/config';
import { DEFAULT_CONFIG_PATH } from './file.js';
import { input, requiredInput, withholdFromChildren } from '@cutover/runtime';
import { alertVariables, loadEnvironment } from './load.js';

/** The `config` input: the environment file's path, `.github/cutover.yml` when unset. */
export function configInput(): string {
  return input('config') || DEFAULT_CONFIG_PATH;
}

/**
 * Loads the environment named by the `environment` input (or `name`, one of several the action
 * read from it) from the `config` input's file. Its alert variables are withheld from every child
 * process started from here on (runtime's childEnvironment).
 */
export async function environmentFromInputs(name = requiredInput('environment')): Promise<NamedEnvironment> {
  const environment = await loadEnvironment(name, configInput(), process.env.GITHUB_WORKSPACE || process.cwd());
  withholdFromChildren(alertVariables(environment));
  return environment;
}

/** What every action's main.ts shares: reading inputs with their names, failing clearly. */
import * as core from '@actions/core';
import { InputError, loadEnvironment, type NamedEnvironment } from '@cutover/config';

/** The raw text of an input ('' when unset); hyphens are kept, as the runner keeps them. */
export function input(name: string): string {
  return core.getInput(name);
}

export function requiredInput(name: string): string {
  const value = core.getInput(name).trim();
  if (value === '') throw new InputError(`${name}: input required and not supplied`);
  return value;
}

/** Loads the environment named by the `environment` input from the `config` input's file. */
export async function environmentFromInputs(): Promise<NamedEnvironment> {
  const name = requiredInput('environment');
  const config = input('config') || '.github/cutover.yml';
  return loadEnvironment(name, config, process.env.GITHUB_WORKSPACE || process.cwd());
}

/**
 * Runs an action's main function: any error becomes one `core.setFailed` with its message,
 * so that users read what is wrong, and the exit code is 1.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** For an action whose issue has not landed: fail, say so, never pretend. */
export async function notYetAvailable(action: string): Promise<void> {
  // Read the inputs anyway, so a run shows they arrive as the runner passes them.
  const names = Object.keys(process.env)
    .filter((key) => key.startsWith('INPUT_'))
    .map((key) => key.slice('INPUT_'.length).toLowerCase())
    .sort();
  core.info(`${action}: inputs received: ${names.join(', ') || '(none)'}`);
  core.setFailed(`${action} is not available yet in this version of Cutover: it does nothing, and reports no success.`);
}

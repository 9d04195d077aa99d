/** What every action's main.ts shares: reading inputs with their names, failing clearly. */
import * as core from '@actions/core';
import { errorMessage, InputError } from '@cutover/config';

/** The raw text of an input ('' when unset); hyphens are kept, as the runner keeps them. */
export function input(name: string): string {
  return core.getInput(name);
}

export function requiredInput(name: string): string {
  const value = core.getInput(name).trim();
  if (value === '') throw new InputError(`${name}: input required and not supplied`);
  return value;
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

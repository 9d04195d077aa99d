/** What every action's main.ts shares: reading inputs with their names, failing clearly. */
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
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
  if (!isPost) saveStarted();
  return isPost;
}

/**
 * `started=true` in the state file's one-line form (name=value; the runner reads both forms). Not
 * core.saveState: it writes a heredoc with a random delimiter, and loading node:crypto for it took
 * 9 ms of every action's start, before any traffic moved (a CPU profile of blue-green-switch). A
 * constant without a new line needs no delimiter. Outside a runner, core's stdout command.
 */
function saveStarted(): void {
  const file = process.env.GITHUB_STATE;
  if (file) appendFileSync(file, `started=true${EOL}`, 'utf8');
  else core.saveState('started', 'true');
}

/** What every action's main.ts shares: reading inputs with their names, failing clearly. */
import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
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
  if (!isPost) saveState('started', 'true');
  return isPost;
}

/**
 * Saves `value` under `name` for the post step, as core.saveState does, in the state file's one-line
 * form (name=value, which the runner reads as well) when the value holds no line break. core writes
 * a heredoc with a random delimiter, and loading node:crypto for it took 9 ms of an action's start,
 * before any traffic moved (a CPU profile of blue-green-switch); a value on one line needs none. A
 * value over several lines, or no state file (outside a runner), goes through core.
 */
export function saveState(name: string, value: string): void {
  const file = process.env.GITHUB_STATE;
  if (!file || /[\r\n]/.test(value) || !existsSync(file)) {
    core.saveState(name, value);
    return;
  }
  // After whatever was written last, on a line of its own even if that did not end one.
  const size = statSync(file).size;
  let separator = '';
  if (size > 0) {
    const last = Buffer.alloc(1);
    const handle = openSync(file, 'r');
    try {
      readSync(handle, last, 0, 1, size - 1);
    } finally {
      closeSync(handle);
    }
    if (last[0] !== 0x0a) separator = EOL;
  }
  appendFileSync(file, `${separator}${name}=${value}${EOL}`, 'utf8');
}

/**
 * The user's own `command` inputs, run as the runner runs a `run:` step: the text written to a
 * script file and run by `bash --noprofile --norc -eo pipefail {0}`. So a command behaves the same
 * in a step and in an action's input (a failing command in a pipeline fails it, no profile is read,
 * `$0` is the script, a multi-line command is a script).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from './child-env.js';

export interface ShellOptions {
  cwd: string;
  /** The child's environment; when unset, the process's own without the action's secrets (childEnvironment). */
  env?: NodeJS.ProcessEnv;
}

/** The argv of bash for a script file: the runner's `shell: bash` template. */
export function shellArgv(scriptPath: string): string[] {
  return ['--noprofile', '--norc', '-eo', 'pipefail', scriptPath];
}

/**
 * Runs `command` through bash from a script file in RUNNER_TEMP (or the system's temporary
 * directory), with the step's output as its own; resolves with the exit code, 128 + the signal's
 * number when a signal ended it (as a shell reports it). The script file is removed afterwards.
 */
export async function runShellCommand(command: string, options: ShellOptions): Promise<number> {
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'cutover-command-'));
  const script = join(dir, 'command.sh');
  try {
    await writeFile(script, `${command}\n`, { mode: 0o600 });
    return await new Promise<number>((resolve, reject) => {
      const child = spawn('bash', shellArgv(script), {
        cwd: options.cwd,
        env: options.env ?? childEnvironment(),
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

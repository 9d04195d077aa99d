/**
 * A program run by argv for what it prints (git, for build-candidate and migration-check): the
 * runner's environment without the action's secrets (childEnvironment), its output as text.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childEnvironment } from './child-env.js';

export interface ReadCommandOptions {
  cwd: string;
  /** The most output kept, in bytes; more fails the call (execFile's maxBuffer). */
  maxBuffer: number;
}

/** Runs `file` with `args`; resolves with its standard output, rejects as execFile does (code, stderr). */
export async function readCommand(file: string, args: string[], options: ReadCommandOptions): Promise<string> {
  // Promisified on call, not when the module loads: reading execFile loads node:child_process (with
  // net and dgram), which no action's first checks need (#15; test/actions-start.test.ts).
  const { stdout } = await promisify(execFile)(file, args, { cwd: options.cwd, env: childEnvironment(), encoding: 'utf8', maxBuffer: options.maxBuffer });
  return stdout;
}

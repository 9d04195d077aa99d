/**
 * One step's process, stopped the way the runner stops it (GitHub's workflow cancellation
 * reference): SIGINT to the step's entry process; if it is still running after the grace period
 * (7500 ms on GitHub), SIGTERM; after another 2500 ms, the whole process tree is killed. Each step
 * runs in its own process group so that the tree can be found, and orphans killed when the job ends.
 */
import { spawn } from 'node:child_process';

export interface Grace {
  /** SIGINT to SIGTERM (GitHub: 7500 ms). */
  interruptMs: number;
  /** SIGTERM to killing the tree (GitHub: 2500 ms). */
  terminateMs: number;
}

export const GITHUB_GRACE: Grace = { interruptMs: 7500, terminateMs: 2500 };

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Signals sent, in order ('SIGINT', 'SIGTERM', 'SIGKILL'). */
  signalsSent: NodeJS.Signals[];
  /** Stopped because `stop` fired with this reason ('cancelled', 'timeout'). */
  stoppedFor?: string;
  durationMs: number;
}

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  grace: Grace;
  /** Aborting it stops the process (the reason says why). */
  stop: AbortSignal;
  onSignal?(signal: NodeJS.Signals): void;
  /** Process group ids, for killing orphans at the end of the job. */
  groups?: Set<number>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function runProcess(argv: string[], options: ProcessOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  const [command, ...args] = argv as [string, ...string[]];
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid) options.groups?.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const signalsSent: NodeJS.Signals[] = [];
  const timers: NodeJS.Timeout[] = [];
  let exited = false;
  let stoppedFor: string | undefined;
  const send = (signal: NodeJS.Signals) => {
    if (exited || !child.pid) return;
    signalsSent.push(signal);
    options.onSignal?.(signal);
    if (signal === 'SIGKILL') killGroup(child.pid, signal);
    else child.kill(signal);
  };
  const stop = () => {
    if (stoppedFor !== undefined) return;
    stoppedFor = String(options.stop.reason ?? 'cancelled');
    send('SIGINT');
    timers.push(
      setTimeout(() => {
        send('SIGTERM');
        timers.push(setTimeout(() => send('SIGKILL'), options.grace.terminateMs));
      }, options.grace.interruptMs),
    );
  };
  if (options.stop.aborted) stop();
  else options.stop.addEventListener('abort', stop, { once: true });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
    // A process left in the background keeps the output pipes open: the step ends with its entry
    // process (the orphan is killed with the job), after a moment for the last output to arrive.
    child.on('exit', (code, sig) => {
      exited = true;
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve([code, sig]);
        }, 1000),
      );
    });
  });
  exited = true;
  timers.forEach(clearTimeout);
  options.stop.removeEventListener('abort', stop);
  return { exitCode, signal, stdout, stderr, signalsSent, ...(stoppedFor !== undefined ? { stoppedFor } : {}), durationMs: Date.now() - started };
}

/** Kills what the job's steps left running ("Cleaning up orphan processes" at the end of a job). */
export function killOrphans(groups: Set<number>): void {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
}

import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, openSync, closeSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const accessAsync = promisify(access);

/** Fails with an error naming the missing program, so a missing server is a failure, never a skip. */
export async function requireBinary(path: string, debianPackage: string): Promise<void> {
  try {
    await accessAsync(path, constants.X_OK);
  } catch {
    throw new Error(`${path} is missing or not executable: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage})`);
  }
}

// Safety net: a test that dies before stop() must not leave servers behind.
const livePids = new Set<number>();
process.once('exit', () => {
  for (const pid of livePids) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export interface Daemon {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<void>;
  hasExited(): boolean;
  log(): string;
}

/**
 * Starts a long-running server in its own process group (so its workers can be killed with it),
 * with stdout and stderr going to a log file that start-up errors are read from.
 */
export function spawnDaemon(argv: string[], logFile: string): Daemon {
  const [file, ...args] = argv;
  if (!file) throw new Error('spawnDaemon: empty argv');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(file, args, { stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  child.unref();
  let done = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      if (child.pid) livePids.delete(child.pid);
      resolve();
    });
    child.once('error', () => {
      done = true;
      resolve();
    });
  });
  if (child.pid) livePids.add(child.pid);
  return {
    child,
    pid: child.pid ?? -1,
    logFile,
    exited,
    hasExited: () => done,
    log: () => readLog(logFile),
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** Polls `ready` until it resolves true; fails early with the server's log if it exits. */
export async function waitReady(name: string, daemon: Daemon, ready: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (daemon.hasExited()) {
      throw new Error(`${name} exited during start-up:\n${daemon.log()}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${name} did not become ready within ${timeoutMs} ms:\n${daemon.log()}`);
    }
    await sleep(50);
  }
}

/** Asks the server to stop with `signal`, then kills its whole process group if it lingers. */
export async function stopDaemon(daemon: Daemon, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!daemon.hasExited()) {
    try {
      process.kill(daemon.pid, signal);
    } catch {
      // Already gone.
    }
    const timer = sleep(graceMs).then(() => 'timeout' as const);
    if ((await Promise.race([daemon.exited.then(() => 'exited' as const), timer])) === 'timeout') {
      killGroup(daemon.pid, 'SIGKILL');
      await daemon.exited;
    }
  }
  // Workers of a killed master may outlive it: sweep the group.
  killGroup(daemon.pid, 'SIGKILL');
  livePids.delete(daemon.pid);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Running programs where a router acts: locally, or on another host over SSH. Both go through
 * `Executor.run(argv)`, so a router has one code path whatever the host.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshTarget } from '@cutover/config';
import { childEnvironment, outside } from '@cutover/runtime';

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the program's stdin. */
  input?: string;
  timeoutMs?: number;
}

export interface Executor {
  /** "local" or user@host:port, for messages. */
  readonly where: string;
  /** Runs argv to completion; never throws for a non-zero exit (see runChecked). */
  run(argv: string[], options?: RunOptions): Promise<ProgramResult>;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One POSIX shell command line that a remote shell splits back into exactly these words. */
export function shellQuote(argv: string[]): string {
  return argv.map((arg) => (SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The ssh client argv up to and including the destination; append one quoted remote command line. */
export function sshArgv(target: SshTarget): string[] {
  // A destination beginning with "-" would be read as an option (-oProxyCommand=... runs a command here).
  for (const [key, value] of [
    ['host', target.host],
    ['user', target.user],
  ] as const) {
    if (value?.startsWith('-')) throw new Error(`ssh ${key} "${value}" begins with "-"; ssh would read it as an option`);
  }
  const argv = ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5'];
  if (target.port !== undefined) argv.push('-p', String(target.port));
  if (target['identity-file']) argv.push('-i', target['identity-file'], '-o', 'IdentitiesOnly=yes');
  if (target['known-hosts-file']) argv.push('-o', `UserKnownHostsFile=${target['known-hosts-file']}`);
  for (const option of target.options ?? []) argv.push('-o', option);
  // `--` before the destination: nothing after it is an option.
  argv.push('--', target.user ? `${target.user}@${target.host}` : target.host);
  return argv;
}

export function describeSsh(target: SshTarget): string {
  return `${target.user ? `${target.user}@` : ''}${target.host}${target.port !== undefined ? `:${target.port}` : ''}`;
}

/** After the program exits, how long output it already wrote may take to arrive. */
const OUTPUT_GRACE_MS = 100;

/**
 * Spawns argv directly (no shell), collecting its output. Done when the program exits (plus a short
 * grace for its output), not when every holder of its pipes has closed them: a daemon it leaves
 * behind must not hold us. At the timeout the program is killed and its pipes are closed.
 */
export function runLocal(argv: string[], options: RunOptions = {}): Promise<ProgramResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('empty argv'));
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    // The program (the user's, nginx, socat, ssh) gets the job's environment without the action's secrets.
    const child = spawn(file, args, { env: childEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let grace: NodeJS.Timeout | undefined;
    const closeStreams = () => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
      closeStreams();
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      clearTimeout(grace);
      closeStreams();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`${file}: program not found`) : error);
    });
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => finish(code, signal), OUTPUT_GRACE_MS);
    });
    // Sooner when nothing else holds the pipes (the usual case); a second resolve does nothing.
    child.on('close', finish);
    child.stdin.on('error', () => {
      // The program may exit without reading its input; its exit status says what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

export const localExecutor: Executor = { where: 'local', run: runLocal };

/** ssh exits 255 for its own failures (refused, unknown host, key rejected), else with the remote status. */
const SSH_FAILURE = 255;

/**
 * At most this many ssh programs run at once, over every host. sshd refuses new unauthenticated
 * connections at random beyond 10 by default (MaxStartups 10:30:100) and more than 10 sessions
 * over one connection (MaxSessions 10), and a batch of 50 hosts must not open 50 at once from a
 * 2-core runner.
 */
export const SSH_PARALLEL = 8;

/**
 * Connections are reused within a run: the first command to a host opens a master connection
 * (ControlMaster) that stays up ControlPersist after its last use; later commands ride on it.
 * Measured on loopback: 0.5-0.8 s per command with a new connection, 0.08-0.14 s over the
 * master. The sockets live in a directory of this process, removed with the masters at exit.
 */
const CONTROL_PERSIST = '60';
let controlDir: string | undefined;
let closingAtExit = false;
const masters = new Map<string, string[]>();

function controlDirectory(): string {
  if (!controlDir) {
    // In the job's temp directory, which the runner empties, when there is one: a process killed
    // before its exit hook leaves nothing behind (its masters end ControlPersist after their last use).
    // A socket path is at most 104 bytes (macOS; 107 on Linux): the directory, "/cutover-ssh-XXXXXX/"
    // (20), %C (40) and the 17-byte suffix ssh adds while it creates the socket. A base over 27 bytes
    // falls back to /tmp: a 45-byte runner temp made 122 and ssh refused ("too long for Unix domain socket").
    const base = process.env.RUNNER_TEMP || tmpdir();
    controlDir = mkdtempSync(join(base.length > 104 - 20 - 40 - 17 ? '/tmp' : base, 'cutover-ssh-'));
    if (!closingAtExit) process.once('exit', closeMasters);
    closingAtExit = true;
  }
  return controlDir;
}

/** Ends every master this process opened (ssh -O exit) and removes their directory. */
export function closeMasters(): void {
  for (const argv of masters.values()) spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 2_000, env: childEnvironment() });
  masters.clear();
  if (controlDir) rmSync(controlDir, { recursive: true, force: true });
  controlDir = undefined;
}

/** Runs `task` when fewer than `limit` run: a counting semaphore. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

const sshSlot = limiter(SSH_PARALLEL);

export function sshExecutor(target: SshTarget): Executor {
  const where = describeSsh(target);
  // Built once, here, so a bad target is refused before anything runs.
  const ssh = sshArgv(target);
  const destination = ssh.at(-1)!;
  // After the user's options: ssh takes the first value of an option, so `ControlMaster=no` in options wins.
  let control: string[] | undefined;
  const controlOptions = () => {
    if (!control) {
      control = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlDirectory()}/%C`, '-o', `ControlPersist=${CONTROL_PERSIST}`];
      masters.set(`${where}|${ssh.join(' ')}`, [...ssh.slice(0, -2), ...control, '-O', 'exit', '--', destination]);
    }
    return control;
  };
  // The first command to a host runs alone, so that it opens the one master the others share
  // (commands started together would each open a connection of their own).
  let opened: Promise<void> | undefined;
  const once = async (argv: string[], options?: RunOptions) => {
    const result = await sshSlot(() => runLocal([...ssh.slice(0, -2), ...controlOptions(), '--', destination, shellQuote(argv)], options));
    if (result.code === SSH_FAILURE) {
      throw new Error(`ssh ${where}: ${outside(result.stderr.trim()) || `exit ${SSH_FAILURE}`}`);
    }
    return result;
  };
  return {
    where,
    async run(argv, options) {
      if (opened) {
        await opened;
        return once(argv, options);
      }
      const first = once(argv, options);
      opened = first.then(
        () => undefined,
        () => {
          opened = undefined;
        },
      );
      return first;
    },
  };
}

export function executorFor(ssh: SshTarget | undefined): Executor {
  return ssh ? sshExecutor(ssh) : localExecutor;
}

/** Runs argv and throws, with the program's stderr, when it exits non-zero. */
export async function runChecked(executor: Executor, argv: string[], options?: RunOptions): Promise<ProgramResult> {
  const result = await executor.run(argv, options);
  if (result.code !== 0) {
    const on = executor.where === 'local' ? '' : ` on ${executor.where}`;
    // The program's own words, made safe to log: they end up in the step's log and summary.
    const output = outside((result.stderr.trim() || result.stdout.trim()).split('\n').slice(-10).join('\n'));
    throw new Error(`${argv.join(' ')}${on} exited ${result.code}${output ? `: ${output}` : ''}`);
  }
  return result;
}

/** Reads a file on the executor's host; undefined when it does not exist. */
export async function readRemoteFile(executor: Executor, path: string): Promise<string | undefined> {
  // A fixed script with the path as $1: no input ever becomes shell code.
  const result = await executor.run(['sh', '-c', 'if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi', 'sh', path]);
  if (result.code === 3) return undefined;
  if (result.code !== 0) throw new Error(`cannot read ${path}${executor.where === 'local' ? '' : ` on ${executor.where}`}: ${outside(result.stderr.trim())}`);
  return result.stdout;
}

/**
 * Replaces a file atomically: the text goes to a temp file in the same directory (same file
 * system), which is then renamed over the target, so a reader sees the old file or the new one.
 */
export async function writeFileAtomic(executor: Executor, path: string, text: string): Promise<void> {
  const script =
    'tmp=$(mktemp "$1.tmp-XXXXXX") || exit 1; if cat > "$tmp" && chmod 644 "$tmp" && mv -f -- "$tmp" "$1"; then exit 0; fi; rm -f -- "$tmp"; exit 1';
  await runChecked(executor, ['sh', '-c', script, 'sh', path], { input: text });
}

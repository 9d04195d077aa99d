/**
 * Runs a bundled action (`dist/<name>/index.js`) as a process, exactly as the GitHub runner does:
 * `INPUT_*` variables (defaults from action.yml filled in), existing GITHUB_OUTPUT, GITHUB_STATE,
 * GITHUB_ENV and GITHUB_STEP_SUMMARY files, the event file, then the post step with `STATE_*`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { node24, repoRoot } from './node24.js';
import { parseFileCommands, parseWorkflowCommands, type WorkflowCommand } from './workflow-commands.js';

export interface InterruptOptions {
  signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT';
  /** Send it this long after the start... */
  afterMs?: number;
  /** ...or as soon as stdout holds this text (e.g. a log line the action prints mid-step). */
  whenStdout?: string | RegExp;
}

export interface RunActionOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment (secrets the environment file names, for instance). */
  env?: Record<string, string | undefined>;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: object;
  eventName?: string;
  /** GITHUB_WORKSPACE and the working directory; a temp dir when omitted. */
  workspace?: string;
  repository?: string;
  sha?: string;
  ref?: string;
  runId?: string;
  /** GITHUB_API_URL: the stand-in's URL. Without it the API points at a closed local port. */
  apiUrl?: string;
  /** What `${{ github.token }}` gives as the default of a `token` input ('' = no token). */
  token?: string;
  interrupt?: InterruptOptions;
  /** Run the post step when action.yml declares one (default true). */
  post?: boolean;
  /** Kill the step after this long (default 5 minutes), like a job timeout. */
  timeoutMs?: number;
  /** Called with the main step's whole stdout so far, as it grows: a test acts at a log line. */
  onStdout?: (stdout: string) => void;
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
  errors: string[];
  warnings: string[];
  notices: string[];
  durationMs: number;
  /** performance.now() just before the process was spawned: what a benchmark measures from (the kit's own setup before it is not the action's). */
  spawnedAt: number;
}

export interface ActionRun extends StepResult {
  post?: StepResult;
  workspace: string;
  runnerTemp: string;
}

export interface ActionInput {
  default?: string;
  required?: boolean;
}

export interface ActionYaml {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, unknown>;
  main: string;
  post?: string;
  /** runs.post-if: when the post step runs (the runner's default: always()). */
  postIf?: string;
}

/** Reads action.yml; `main` and `post` resolved against the action's directory, as the runner does. */
export function readActionYaml(actionDir: string): ActionYaml {
  const file = join(actionDir, 'action.yml');
  const action = parseYaml(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, ActionInput>;
    outputs?: Record<string, unknown>;
    runs: { using: string; main: string; post?: string; 'post-if'?: string };
  };
  if (action.runs.using !== 'node24') throw new Error(`runAction: ${file} runs on ${action.runs.using}, not node24`);
  return {
    inputs: action.inputs ?? {},
    outputs: action.outputs ?? {},
    main: resolve(actionDir, action.runs.main),
    post: action.runs.post ? resolve(actionDir, action.runs.post) : undefined,
    ...(action.runs['post-if'] ? { postIf: action.runs['post-if'] } : {}),
  };
}

/** The test process's environment without its own GitHub variables (when it runs inside Actions). */
export function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(entry[0]),
    ),
  );
}

/** `${{ ... }}` defaults the runner would evaluate, for the few our actions declare. */
function evaluateDefault(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in context)) throw new Error(`runAction: cannot evaluate default \${{ ${expression} }}`);
    return context[expression]!;
  });
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * `action` is the name of one of this repository's actions (`actions/<name>`), or the path of a
 * directory holding an action.yml.
 */
export async function runAction(action: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const actionDir = action.includes('/') ? resolve(action) : join(repoRoot, 'actions', action);
  const name = basename(actionDir);
  const declared = readActionYaml(actionDir);
  if (!existsSync(declared.main)) throw new Error(`runAction: ${declared.main} is missing; run npm run build`);
  const root = await mkdtemp(join(tmpdir(), `cutover-run-${name}-`));
  const workspace = options.workspace ?? join(root, 'workspace');
  const runnerTemp = join(root, 'runner-temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(runnerTemp, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(root, 'output'),
    GITHUB_STATE: join(root, 'state'),
    GITHUB_ENV: join(root, 'env'),
    GITHUB_PATH: join(root, 'path'),
    GITHUB_STEP_SUMMARY: join(root, 'summary.md'),
    GITHUB_EVENT_PATH: join(root, 'event.json'),
  };
  for (const [key, file] of Object.entries(files)) {
    await writeFile(file, key === 'GITHUB_EVENT_PATH' ? JSON.stringify(options.event ?? {}) : '');
  }

  const repository = options.repository ?? 'octo-org/app';
  const expressions: Record<string, string> = {
    'github.token': options.token ?? '',
    'github.event.repository.name': repository.split('/')[1]!,
    'github.repository': repository,
    'github.sha': options.sha ?? '',
  };
  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(declared.inputs)) {
    if (spec.default !== undefined) inputs[inputVariable(input)] = evaluateDefault(String(spec.default), expressions);
  }
  for (const [input, value] of Object.entries(options.inputs ?? {})) {
    if (value === undefined) continue;
    if (!(input in declared.inputs)) throw new Error(`runAction: ${name} declares no input "${input}"`);
    inputs[inputVariable(input)] = String(value);
  }

  // The parent's own GitHub variables (when this runs inside Actions) must not leak into the step.
  const inherited = inheritedEnvironment();
  const sha = options.sha ?? 'a'.repeat(40);
  const env: Record<string, string> = {
    ...inherited,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0]!,
    GITHUB_SHA: sha,
    GITHUB_REF: options.ref ?? 'refs/heads/main',
    GITHUB_REF_NAME: (options.ref ?? 'refs/heads/main').replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_RUN_ID: options.runId ?? '1001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'cutover-test',
    GITHUB_ACTION: name.replace(/-/g, '_'),
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    // A closed local port: nothing ever reaches the real api.github.com from a test.
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: `${options.apiUrl ?? 'http://127.0.0.1:9'}/graphql`,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(root, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'cutover-test-kit',
    ...files,
    ...inputs,
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const main = await runStep(declared.main, env, workspace, options.interrupt, options.timeoutMs, options.onStdout);
  const result: ActionRun = { ...main, workspace, runnerTemp };
  if (declared.post && options.post !== false) {
    // The runner gives the post step the main step's saved state as STATE_* variables.
    const stateEnv = Object.fromEntries(Object.entries(main.state).map(([key, value]) => [`STATE_${key}`, value]));
    for (const key of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'] as const) {
      files[key] = `${files[key]}.post`;
      await writeFile(files[key], '');
    }
    result.post = await runStep(declared.post, { ...env, ...files, ...stateEnv }, workspace, undefined, options.timeoutMs);
  }
  return result;
}

async function runStep(
  bundle: string,
  env: Record<string, string>,
  cwd: string,
  interrupt: InterruptOptions | undefined,
  timeoutMs = 300_000,
  onStdout?: (stdout: string) => void,
): Promise<StepResult> {
  const started = Date.now();
  const spawnedAt = performance.now();
  const child = spawn(node24(), [bundle], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  const send = () => {
    if (interrupted || !interrupt) return;
    interrupted = true;
    child.kill(interrupt.signal);
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const trigger = interrupt?.whenStdout;
    if (trigger && (typeof trigger === 'string' ? stdout.includes(trigger) : trigger.test(stdout))) send();
    onStdout?.(stdout);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timers = [setTimeout(() => child.kill('SIGKILL'), timeoutMs)];
  if (interrupt?.afterMs !== undefined) timers.push(setTimeout(send, interrupt.afterMs));
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  timers.forEach(clearTimeout);
  const read = async (key: string) => readFile(env[key]!, 'utf8');
  const commands = parseWorkflowCommands(stdout);
  const messages = (kind: string) => commands.filter((command) => command.command === kind).map((command) => command.message);
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseFileCommands(await read('GITHUB_OUTPUT')),
    state: parseFileCommands(await read('GITHUB_STATE')),
    env: parseFileCommands(await read('GITHUB_ENV')),
    summary: await read('GITHUB_STEP_SUMMARY'),
    commands,
    errors: messages('error'),
    warnings: messages('warning'),
    notices: messages('notice'),
    durationMs: Date.now() - started,
    spawnedAt,
  };
}

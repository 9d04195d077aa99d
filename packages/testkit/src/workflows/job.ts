/**
 * One job on its runner: a fresh workspace, the steps in order (`if:` with the job's status,
 * `continue-on-error`, `timeout-minutes`), each a real process (bash for `run:`, Node 24 for this
 * repository's actions) or a test's stand-in; GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STATE and
 * GITHUB_STEP_SUMMARY read after each; the post steps of actions at the end, newest first, with
 * their STATE_* variables; then the job's outputs. A cancelled job stops its running step the way
 * the runner does (SIGINT, SIGTERM, the tree killed), runs the steps whose `if:` still holds, then
 * the post steps.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { node24 } from '../node24.js';
import { inputVariable } from '../run-action.js';
import { parseFileCommands, parseWorkflowCommands } from '../workflow-commands.js';
import { evaluate, evaluateTemplate, parseCondition, parseTemplate, toText, truthy, type Node, type Scope, type Value } from './expressions.js';
import { runProcess, killOrphans, type Grace } from './process.js';
import type { JobRecord, StepOutcome, StepRecord, StepResult, TimelineEntry } from './records.js';
import type { ActionStandIn } from './standins.js';
import { resolveUses } from './uses.js';
import type { Job, Step, Template, Workflow } from './workflow.js';

/** What the simulator gives a job. */
export interface JobHost {
  dir: string;
  grace: Grace;
  standIns: Record<string, ActionStandIn>;
  /** Inputs replacing the workflow's, by step key (`production.watch`). */
  overrides: Record<string, Record<string, string>>;
  /** The environment of every process before the workflow's: the test process's, without its GitHub variables. */
  baseEnv: Record<string, string>;
  /** GITHUB_*, RUNNER_* and CI of this job. */
  runnerEnv: Record<string, string>;
  event: Record<string, unknown>;
  /** The run's list of steps, in the order they are reached. */
  steps: StepRecord[];
  /**
   * A GITHUB_TOKEN of its own for each step that runs (and each post step), named `caller` in the
   * GitHub stand-in's records: who made each request. Without it, every step gets the job's token.
   */
  tokenFor?(caller: string): string;
  timeline(entry: Omit<TimelineEntry, 'seq' | 'at' | 'run' | 'workflow' | 'job'>): void;
  onStep?(step: StepRecord): Promise<void> | void;
  log(line: string): void;
}

export interface JobContexts {
  github: Record<string, Value>;
  needs: Record<string, Value>;
  inputs: Record<string, Value>;
  vars: Record<string, Value>;
  secrets: Record<string, Value>;
  runner: Record<string, Value>;
  /** Workflow env, evaluated. */
  env: Record<string, string>;
}

interface Post {
  record: StepRecord;
  bundle: string;
  postIf: Node;
  env: Record<string, string>;
  /** The main step's own token, which its post step's replaces (INPUT_TOKEN...). */
  token: string | undefined;
  state: Record<string, string>;
}

const STEP_FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'] as const;

export function text(template: Template, scope: Scope): string {
  return toText(evaluateTemplate(template.parts, scope, template.place.where));
}

export class JobRun {
  /** success() and failure() of the steps: a step failed (after continue-on-error). */
  private status: 'success' | 'failure' = 'success';
  private cancelled = false;
  private timedOut = false;
  reason?: string;
  private current?: { step: Step; stop: AbortController };
  /** The running step's own token (host.tokenFor): github.token and secrets.GITHUB_TOKEN while it runs. */
  private stepToken?: string;
  private readonly posts: Post[] = [];
  /** Workflow, job and GITHUB_ENV variables: the env context of the steps. */
  private env: Record<string, string> = {};
  private path: string[] = [];
  private readonly steps: Record<string, { outputs: Record<string, string>; outcome: StepOutcome; conclusion: StepOutcome }> = {};
  private readonly groups = new Set<number>();
  private runNumber = 0;
  readonly workspace: string;
  readonly runnerTemp: string;

  constructor(
    private readonly workflow: Workflow,
    private readonly job: Job,
    readonly record: JobRecord,
    private readonly contexts: JobContexts,
    private readonly host: JobHost,
  ) {
    this.workspace = join(host.dir, 'workspace');
    this.runnerTemp = join(host.dir, 'temp');
  }

  /** The result GitHub gives the job once it ran. */
  result(): 'success' | 'failure' | 'cancelled' {
    if (this.timedOut) return 'failure';
    if (this.cancelled) return 'cancelled';
    return this.status;
  }

  scope(extraEnv: Record<string, string> = {}): Scope {
    const token = this.stepToken;
    return {
      contexts: {
        github: token === undefined ? this.contexts.github : { ...this.contexts.github, token },
        needs: this.contexts.needs,
        inputs: this.contexts.inputs,
        vars: this.contexts.vars,
        secrets: token === undefined ? this.contexts.secrets : { ...this.contexts.secrets, GITHUB_TOKEN: token },
        runner: this.contexts.runner,
        env: { ...this.env, ...extraEnv },
        steps: this.steps,
        job: { status: this.cancelled ? 'cancelled' : this.status, container: {}, services: {} },
      },
      status: {
        success: () => !this.cancelled && this.status === 'success',
        failure: () => this.status === 'failure',
        cancelled: () => this.cancelled,
      },
    };
  }

  /**
   * Cancels the job (the run was cancelled, its concurrency group superseded it, it timed out): the
   * running step is stopped unless its `if:` still holds, as GitHub re-evaluates it.
   */
  cancel(reason: string, timedOut = false): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.timedOut = timedOut;
    this.reason = reason;
    const current = this.current;
    // A job that timed out fails; its running step is cancelled like any other.
    if (current && !this.holds(current.step.if, `${current.step.where}.if`)) current.stop.abort('cancelled');
  }

  private holds(condition: Node, where: string): boolean {
    try {
      return truthy(evaluate(condition, this.scope(), where));
    } catch {
      return false;
    }
  }

  async run(): Promise<void> {
    await mkdir(this.workspace, { recursive: true });
    await mkdir(this.runnerTemp, { recursive: true });
    await mkdir(join(this.host.dir, 'tool-cache'), { recursive: true });
    await writeFile(join(this.host.dir, 'event.json'), JSON.stringify(this.host.event, null, 2));
    this.env = { ...this.contexts.env };
    try {
      // Job env: github, needs, vars, secrets, inputs (no env context of its own).
      const scope = this.scope();
      for (const [name, template] of Object.entries(this.job.env)) this.env[name] = text(template, scope);
    } catch (error) {
      this.fail(`Error when evaluating 'env' for job '${this.job.id}': ${(error as Error).message}`);
      return;
    }
    for (const step of this.job.steps) await this.step(step);
    for (const post of this.posts.reverse()) await this.post(post);
    const scope = this.scope();
    for (const [name, template] of Object.entries(this.job.outputs)) {
      try {
        this.record.outputs[name] = text(template, scope);
      } catch (error) {
        this.fail(`Error when evaluating 'outputs' for job '${this.job.id}': ${(error as Error).message}`);
      }
    }
    killOrphans(this.groups);
  }

  private fail(reason: string): void {
    this.status = 'failure';
    this.reason ??= reason;
    this.host.log(`${this.workflow.id}/${this.job.id}: ${reason}`);
  }

  private async step(step: Step): Promise<void> {
    const record: StepRecord = {
      workflow: this.workflow.id,
      run: this.record.run,
      job: this.job.id,
      key: step.key,
      index: step.index,
      outcome: 'skipped',
      conclusion: 'skipped',
      ...(step.uses ? { uses: step.uses } : {}),
    };
    const uses = step.uses ? resolveUses(step.uses) : undefined;
    if (uses?.kind === 'ours') record.action = uses.name;
    this.record.steps.push(record);
    this.host.steps.push(record);
    const setContext = () => {
      if (step.id) this.steps[step.id] = { outputs: record.result?.outputs ?? {}, outcome: record.outcome, conclusion: record.conclusion };
    };
    let runs: boolean;
    try {
      runs = truthy(evaluate(step.if, this.scope(), `${step.where}.if`));
    } catch (error) {
      record.outcome = record.conclusion = 'failure';
      record.reason = (error as Error).message;
      this.fail(record.reason);
      setContext();
      this.host.timeline({ kind: 'step-finished', step: step.key, result: 'failure', detail: record.reason });
      return;
    }
    if (!runs) {
      record.reason = this.cancelled ? 'cancelled' : `if: evaluated to false`;
      setContext();
      this.host.timeline({ kind: 'step-finished', step: step.key, result: 'skipped' });
      return;
    }
    this.host.timeline({ kind: 'step-started', step: step.key });
    if (this.host.tokenFor) {
      record.caller = `${this.workflow.id}#${this.record.run}/${step.key}`;
      this.stepToken = this.host.tokenFor(record.caller);
    }
    const stop = new AbortController();
    this.current = { step, stop };
    let timer: NodeJS.Timeout | undefined;
    let outcome: StepOutcome = 'success';
    const outputs: Record<string, string> = {};
    try {
      const minutes =
        step.timeoutMinutes === undefined
          ? undefined
          : typeof step.timeoutMinutes === 'number'
            ? step.timeoutMinutes
            : Number(text(step.timeoutMinutes, this.scope()));
      if (minutes !== undefined) timer = setTimeout(() => stop.abort('timeout'), minutes * 60_000);
      const stepEnv: Record<string, string> = {};
      const envScope = this.scope();
      for (const [name, template] of Object.entries(step.env)) stepEnv[name] = text(template, envScope);
      record.env = stepEnv;
      const scope = this.scope(stepEnv);
      if (step.run !== undefined) {
        const result = await this.runScript(step, text(step.run, scope), scope, stepEnv, stop);
        record.result = result;
        outcome = this.outcomeOf(result, stop);
      } else if (uses?.kind === 'ours') {
        const inputs = this.inputs(step, scope);
        record.inputs = inputs;
        const defaults: Record<string, string> = {};
        for (const [name, spec] of Object.entries(uses.spec.inputs)) {
          if (spec.default !== undefined && !(name in inputs))
            defaults[name] = toText(evaluateTemplate(parseTemplate(String(spec.default)), scope, `${uses.name} input ${name} default`));
        }
        const inputEnv = Object.fromEntries(Object.entries({ ...defaults, ...inputs }).map(([name, value]) => [inputVariable(name), value]));
        const env = this.processEnv(stepEnv, {
          ...inputEnv,
          GITHUB_ACTION: step.id ?? `__cutover_${uses.name.replace(/-/g, '_')}`,
          GITHUB_ACTION_PATH: uses.dir,
          GITHUB_ACTION_REPOSITORY: '',
        });
        const result = await this.exec([node24(), uses.spec.main], env, this.workspace, join(this.host.dir, 'steps', String(step.index)), stop);
        record.result = result;
        outcome = this.outcomeOf(result, stop);
        if (uses.spec.post) {
          this.posts.push({
            record,
            bundle: uses.spec.post,
            postIf: parseCondition(uses.spec.postIf ?? 'always()'),
            env,
            token: this.stepToken,
            state: result.state,
          });
        }
      } else if (uses?.kind === 'stand-in') {
        const inputs = this.inputs(step, scope);
        record.inputs = inputs;
        const standIn = this.host.standIns[uses.name]!;
        const done = await standIn({
          uses: uses.name,
          inputs,
          workspace: this.workspace,
          runnerTemp: this.runnerTemp,
          github: {
            sha: String(this.contexts.github.sha),
            ref: String(this.contexts.github.ref),
            repository: String(this.contexts.github.repository),
            token: this.stepToken ?? String(this.contexts.github.token),
            runId: this.record.run,
            serverUrl: String(this.contexts.github.server_url),
          },
          workflow: this.workflow.id,
          run: this.record.run,
          job: this.job.id,
          env: { ...this.env, ...stepEnv },
        });
        Object.assign(outputs, done?.outputs);
        Object.assign(this.env, done?.env);
        this.path.unshift(...(done?.path ?? []));
      }
    } catch (error) {
      outcome = 'failure';
      record.reason = (error as Error).message;
    } finally {
      clearTimeout(timer);
      this.current = undefined;
      this.stepToken = undefined;
    }
    if (record.result) {
      Object.assign(this.env, record.result.env);
      this.path.unshift(...[...record.result.path].reverse());
      if (outcome === 'failure') record.reason ??= record.result.errors.join('; ') || `exit code ${record.result.exitCode ?? record.result.signal}`;
    } else if (Object.keys(outputs).length) record.result = standInResult(outputs);
    if (stop.signal.aborted && stop.signal.reason === 'timeout') record.reason = `The action has timed out after ${String(step.timeoutMinutes)} minutes`;
    record.outcome = outcome;
    let continueOnError = false;
    try {
      continueOnError =
        typeof step.continueOnError === 'boolean'
          ? step.continueOnError
          : truthy(evaluateTemplate(step.continueOnError.parts, this.scope(), step.continueOnError.place.where));
    } catch {
      // an expression error leaves the default
    }
    record.conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
    if (record.conclusion === 'failure') this.fail(`step ${step.key} failed${record.reason ? `: ${record.reason}` : ''}`);
    setContext();
    this.host.timeline({
      kind: 'step-finished',
      step: step.key,
      result: record.outcome,
      ...(record.reason && record.outcome !== 'success' ? { detail: record.reason } : {}),
    });
    await this.host.onStep?.(record);
  }

  private outcomeOf(result: StepResult, stop: AbortController): StepOutcome {
    if (stop.signal.aborted) return stop.signal.reason === 'timeout' ? 'failure' : 'cancelled';
    return result.exitCode === 0 ? 'success' : 'failure';
  }

  /** A step's `with:`, evaluated, with the test's overrides. */
  private inputs(step: Step, scope: Scope): Record<string, string> {
    const inputs = Object.fromEntries(Object.entries(step.with).map(([name, template]) => [name, text(template, scope)]));
    return { ...inputs, ...this.host.overrides[step.key] };
  }

  private processEnv(stepEnv: Record<string, string>, extra: Record<string, string>): Record<string, string> {
    // GitHub: GITHUB_* and RUNNER_* defaults cannot be overwritten by the workflow's env.
    const env = { ...this.host.baseEnv, ...this.env, ...stepEnv, ...this.host.runnerEnv, ...extra };
    if (this.path.length) env.PATH = [...this.path, env.PATH ?? ''].join(':');
    return env;
  }

  private async runScript(step: Step, script: string, scope: Scope, stepEnv: Record<string, string>, stop: AbortController): Promise<StepResult> {
    const dir = join(this.host.dir, 'steps', String(step.index));
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'script.sh');
    await writeFile(file, script);
    const shell = step.shell ?? this.job.defaults.shell ?? this.workflow.defaults.shell;
    // GitHub's table: no shell given is `bash -e {0}`; `shell: bash` adds --noprofile --norc and pipefail.
    const argv = shell === 'bash' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file] : ['bash', '-e', file];
    const directory = step.workingDirectory ?? this.job.defaults.workingDirectory ?? this.workflow.defaults.workingDirectory;
    const cwd = directory ? resolve(this.workspace, text(directory, scope)) : this.workspace;
    this.runNumber += 1;
    const env = this.processEnv(stepEnv, { GITHUB_ACTION: step.id ?? (this.runNumber === 1 ? '__run' : `__run_${this.runNumber}`) });
    return this.exec(argv, env, cwd, dir, stop);
  }

  /** Runs one process with fresh GITHUB_* files in `dir`, then reads them as the runner does. */
  private async exec(argv: string[], env: Record<string, string>, cwd: string, dir: string, stop: AbortController, post = false): Promise<StepResult> {
    await mkdir(dir, { recursive: true });
    const files = Object.fromEntries(STEP_FILES.map((key) => [key, join(dir, `${post ? 'post-' : ''}${key.toLowerCase()}`)]));
    for (const file of Object.values(files)) await writeFile(file, '');
    const step = dir.split('/').at(-1);
    const outcome = await runProcess(argv, {
      cwd,
      env: { ...env, ...files },
      grace: this.host.grace,
      stop: stop.signal,
      groups: this.groups,
      onSignal: (signal) => this.host.timeline({ kind: 'signal', step: this.current?.step.key ?? step, result: signal }),
    });
    const read = (key: string) => readFile(files[key]!, 'utf8');
    const commands = parseWorkflowCommands(outcome.stdout);
    const messages = (kind: string) => commands.filter((command) => command.command === kind).map((command) => command.message);
    return {
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      outputs: parseFileCommands(await read('GITHUB_OUTPUT')),
      state: parseFileCommands(await read('GITHUB_STATE')),
      env: parseFileCommands(await read('GITHUB_ENV')),
      path: (await read('GITHUB_PATH')).split('\n').filter(Boolean),
      summary: await read('GITHUB_STEP_SUMMARY'),
      commands,
      errors: messages('error'),
      warnings: messages('warning'),
      notices: messages('notice'),
      signalsSent: outcome.signalsSent,
      durationMs: outcome.durationMs,
    };
  }

  private async post(post: Post): Promise<void> {
    const runs = this.holds(post.postIf, `${post.record.key} post-if`);
    if (!runs) {
      post.record.postOutcome = 'skipped';
      this.host.timeline({ kind: 'post-finished', step: post.record.key, result: 'skipped' });
      return;
    }
    const state = Object.fromEntries(Object.entries(post.state).map(([key, value]) => [`STATE_${key}`, value]));
    let env = post.env;
    if (post.token !== undefined && this.host.tokenFor) {
      // The same token on GitHub; a name of its own here, so that what the post step asks is counted apart.
      const token = this.host.tokenFor(`${post.record.caller} post`);
      env = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === post.token ? token : value]));
    }
    // Post steps run after a cancellation; nothing stops them but the end of the simulation.
    const result = await this.exec(
      [node24(), post.bundle],
      { ...env, ...state },
      this.workspace,
      join(this.host.dir, 'steps', String(post.record.index)),
      new AbortController(),
      true,
    );
    post.record.post = result;
    post.record.postOutcome = result.exitCode === 0 ? 'success' : 'failure';
    if (post.record.postOutcome === 'failure')
      this.fail(`post step of ${post.record.key} failed: ${result.errors.join('; ') || `exit code ${result.exitCode}`}`);
    this.host.timeline({ kind: 'post-finished', step: post.record.key, result: post.record.postOutcome });
  }
}

function standInResult(outputs: Record<string, string>): StepResult {
  return {
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    outputs,
    state: {},
    env: {},
    path: [],
    summary: '',
    commands: [],
    errors: [],
    warnings: [],
    notices: [],
    signalsSent: [],
    durationMs: 0,
  };
}

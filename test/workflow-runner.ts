/**
 * Runs a workflow file's jobs (in `needs` order) and their steps (in order) the way the GitHub runner
 * does, for exactly the keys and expression forms the example workflows use. Anything else throws:
 * when a workflow grows a construct nobody checked here, the test that runs it breaks instead of
 * quietly running something else than GitHub would.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string | boolean;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface WorkflowJob {
  needs?: string | string[];
  environment?: string | { name: string; url?: string };
  outputs?: Record<string, string>;
  steps: WorkflowStep[];
}

export interface Workflow {
  jobs: Record<string, WorkflowJob>;
}

// Keys that change nothing a local run can reproduce (runs-on, permissions, concurrency) are accepted
// and ignored; any other key (env, if on a job, continue-on-error, strategy...) is refused.
const KEYS = {
  workflow: ['name', 'on', 'permissions', 'jobs'],
  job: ['runs-on', 'permissions', 'outputs', 'steps', 'needs', 'environment', 'concurrency'],
  step: ['id', 'name', 'uses', 'run', 'if', 'with', 'env'],
};

function checkKeys(what: keyof typeof KEYS, where: string, value: object): void {
  const unknown = Object.keys(value).filter((key) => !KEYS[what].includes(key));
  if (unknown.length) throw new Error(`${where}: the workflow runner does not handle ${what} key(s) ${unknown.join(', ')}`);
}

export function loadWorkflow(file: string): Workflow {
  return parseWorkflow(readFileSync(file, 'utf8'), file);
}

export function parseWorkflow(text: string, file: string): Workflow {
  const workflow = parse(text) as Workflow;
  checkKeys('workflow', file, workflow);
  for (const [name, job] of Object.entries(workflow.jobs)) {
    checkKeys('job', `jobs.${name}`, job);
    job.steps.forEach((step, index) => checkKeys('step', `jobs.${name}.steps[${index}]`, step));
  }
  return workflow;
}

export function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Job names, each after every job it needs (file order otherwise). */
export function jobsInOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`jobs: needs cycle ${[...path, name].join(' -> ')}`);
    const job = workflow.jobs[name];
    if (!job) throw new Error(`jobs.${path.at(-1)}: needs unknown job "${name}"`);
    for (const need of needsOf(job)) visit(need, [...path, name]);
    order.push(name);
  };
  Object.keys(workflow.jobs).forEach((name) => visit(name, []));
  return order;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Value = string | boolean;

export interface ExpressionContext {
  github: Record<string, string>;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  /** The jobs this job needs, with their outputs. */
  needs: Record<string, Record<string, string>>;
  /** The step ids declared in this job; `outputs` of those that ran. */
  stepIds: string[];
  steps: Record<string, Record<string, string>>;
  /** A step of this job failed. */
  failed: boolean;
}

type Token = { kind: 'string'; value: string } | { kind: 'op'; value: string } | { kind: 'name'; value: string };

const TOKEN = /\s*(?:'((?:[^']|'')*)'|(\|\||&&|==|!=|\(|\)|,)|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))\s*/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match || match[0] === '') throw new Error(`expression "${expression}": unsupported syntax at "${expression.slice(at)}"`);
    if (match[1] !== undefined) tokens.push({ kind: 'string', value: match[1].replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'op', value: match[2] });
    else tokens.push({ kind: 'name', value: match[3]! });
  }
  return tokens;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always'];

function truthy(value: Value): boolean {
  return value !== '' && value !== false;
}

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluate(expression: string, context: ExpressionContext): Value {
  const tokens = tokenize(expression);
  let position = 0;
  const fail = (why: string): never => {
    throw new Error(`expression "${expression}": ${why}`);
  };
  const peek = (value: string) => tokens[position]?.kind === 'op' && tokens[position]!.value === value;
  const expect = (value: string) => {
    if (!peek(value)) fail(`expected "${value}"`);
    position += 1;
  };

  const lookup = (path: string): Value => {
    const parts = path.split('.');
    const [root, name, kind, output] = parts;
    const known = (table: Record<string, string>, what: string) => {
      if (parts.length !== 2) fail(`unsupported ${root} reference ${path}`);
      if (!(name! in table)) fail(`${what} ${name} is not provided by the test`);
      return table[name!]!;
    };
    switch (root) {
      case 'secrets':
        return known(context.secrets, 'secret');
      case 'inputs':
        return known(context.inputs, 'input');
      case 'github':
        return known(context.github, 'github context value');
      case 'needs':
        if (parts.length !== 4 || kind !== 'outputs') fail(`unsupported needs reference ${path}`);
        if (!(name! in context.needs)) fail(`job ${name} is not in this job's needs`);
        return context.needs[name!]![output!] ?? '';
      case 'steps':
        if (parts.length !== 4 || kind !== 'outputs') fail(`unsupported steps reference ${path}`);
        if (!context.stepIds.includes(name!)) fail(`no step of this job has id ${name}`);
        // A step that was skipped, or did not set the output, gives '' (GitHub: null, equal to '').
        return context.steps[name!]?.[output!] ?? '';
      default:
        return fail(`unsupported context ${root}`);
    }
  };

  const primary = (): Value => {
    const token = tokens[position++];
    if (!token) return fail('unexpected end');
    if (token.kind === 'string') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') fail(`unexpected "${token.value}"`);
      const value = or();
      expect(')');
      return value;
    }
    if (token.value === 'true' || token.value === 'false') return token.value === 'true';
    if (peek('(')) {
      if (!STATUS_FUNCTIONS.includes(token.value)) fail(`unsupported function ${token.value}()`);
      position += 1;
      expect(')');
      if (token.value === 'always') return true;
      return token.value === 'failure' ? context.failed : !context.failed;
    }
    return lookup(token.value);
  };
  const comparison = (): Value => {
    const left = primary();
    if (!peek('==') && !peek('!=')) return left;
    const negate = tokens[position++]!.value === '!=';
    const right = primary();
    if (typeof left !== 'string' || typeof right !== 'string') fail('only strings are compared');
    // GitHub compares strings ignoring case.
    return ((left as string).toLowerCase() === (right as string).toLowerCase()) !== negate;
  };
  const and = (): Value => {
    let value = comparison();
    while (peek('&&')) {
      position += 1;
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  function or(): Value {
    let value = and();
    while (peek('||')) {
      position += 1;
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  const value = or();
  if (position < tokens.length) fail(`unexpected "${tokens[position]!.value}"`);
  return value;
}

/** A value with its `${{ }}` parts replaced, as `with:`, `env:` and job outputs are. */
export function interpolate(text: unknown, context: ExpressionContext, where: string): string {
  if (typeof text === 'boolean' || typeof text === 'number') return String(text);
  if (typeof text !== 'string') throw new Error(`${where}: expected a scalar, got ${JSON.stringify(text)}`);
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => {
    try {
      return String(evaluate(expression.trim(), context));
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  });
}

/** A step's `if:`; without a status function it means `success() && (...)`, as on GitHub. */
export function stepCondition(condition: string | boolean | undefined, context: ExpressionContext, where: string): boolean {
  if (condition === undefined) return !context.failed;
  const text = String(condition).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  const usesStatus = tokenize(text).some((token) => token.kind === 'name' && STATUS_FUNCTIONS.includes(token.value));
  try {
    return truthy(evaluate(usesStatus ? text : `success() && (${text})`, context));
  } catch (error) {
    throw new Error(`${where}.if: ${(error as Error).message}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Running

export type Outcome = 'success' | 'failure' | 'skipped';

/** What running one of our actions gave (an ActionRun fits). */
export interface StepRun {
  exitCode: number | null;
  outputs: Record<string, string>;
}

export interface StepRecord<Run extends StepRun = StepRun> {
  job: string;
  /** `<job>.<id or name or uses>`: how overrides and the test name the step. */
  key: string;
  action?: string;
  outcome: Outcome;
  /** The inputs it was given (after overrides), for our actions. */
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  run?: Run;
}

export interface JobRecord<Run extends StepRun = StepRun> {
  result: Outcome;
  outputs: Record<string, string>;
  steps: StepRecord<Run>[];
}

export interface RunWorkflowOptions<Run extends StepRun> {
  github?: Record<string, string>;
  inputs?: Record<string, string>;
  /** Repository secrets. */
  secrets?: Record<string, string>;
  /** Secrets of GitHub environments, given only to jobs that name that environment. */
  environmentSecrets?: Record<string, Record<string, string>>;
  /**
   * Inputs that replace the workflow's, by step key (`production.watch`): each must name an input
   * the step sets, so an override cannot outlive what it replaces.
   */
  overrides?: Record<string, Record<string, string>>;
  /** Runs one of our actions (`uses: cutover/cutover/actions/<name>@...`). */
  runAction(action: string, step: { job: string; key: string; inputs: Record<string, string>; env: Record<string, string> }): Promise<Run>;
  /** What the test does instead of other people's actions, by `uses` without its version ('actions/checkout'). */
  otherActions: Record<string, (job: string, inputs: Record<string, string>) => Promise<void>>;
  /** Called after each of our actions ran: what happens in the world between two steps. */
  afterStep?(step: StepRecord<Run>): Promise<void> | void;
  log?(line: string): void;
}

export interface WorkflowRun<Run extends StepRun = StepRun> {
  jobs: Record<string, JobRecord<Run>>;
  /** Every step in the order it came, run or skipped. */
  steps: StepRecord<Run>[];
  step(key: string): StepRecord<Run>;
}

const OUR_ACTION = /^cutover\/cutover\/actions\/([a-z-]+)@\S+$/;

function stepKey(job: string, step: WorkflowStep, index: number): string {
  return `${job}.${step.id ?? step.name ?? step.uses ?? `steps[${index}]`}`;
}

function environmentName(job: WorkflowJob): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

function checkOverrides(workflow: Workflow, overrides: Record<string, Record<string, string>>): void {
  const steps = new Map(Object.entries(workflow.jobs).flatMap(([job, spec]) => spec.steps.map((step, index) => [stepKey(job, step, index), step] as const)));
  for (const [key, inputs] of Object.entries(overrides)) {
    const step = steps.get(key);
    if (!step) throw new Error(`override ${key}: no such step (steps: ${[...steps.keys()].join(', ')})`);
    for (const input of Object.keys(inputs)) {
      if (!(input in (step.with ?? {}))) throw new Error(`override ${key}: the step sets no input "${input}"`);
    }
  }
}

export async function runWorkflow<Run extends StepRun>(workflow: Workflow, options: RunWorkflowOptions<Run>): Promise<WorkflowRun<Run>> {
  const overrides = options.overrides ?? {};
  checkOverrides(workflow, overrides);
  const log = options.log ?? (() => {});
  const jobs: Record<string, JobRecord<Run>> = {};
  const all: StepRecord<Run>[] = [];

  for (const name of jobsInOrder(workflow)) {
    const job = workflow.jobs[name]!;
    const needs = needsOf(job);
    const environment = environmentName(job);
    const context: ExpressionContext = {
      github: options.github ?? {},
      inputs: options.inputs ?? {},
      secrets: { ...options.secrets, ...(environment ? options.environmentSecrets?.[environment] : {}) },
      needs: Object.fromEntries(needs.map((need) => [need, jobs[need]!.outputs])),
      stepIds: job.steps.flatMap((step) => (step.id ? [step.id] : [])),
      steps: {},
      failed: false,
    };
    const record: JobRecord<Run> = { result: 'success', outputs: {}, steps: [] };
    jobs[name] = record;
    // A job runs only when every job it needs succeeded (no job here has an `if:`).
    const blocked = needs.filter((need) => jobs[need]!.result !== 'success');
    if (blocked.length) log(`job ${name}: skipped (${blocked.join(', ')} did not succeed)`);

    for (const [index, step] of job.steps.entries()) {
      const key = stepKey(name, step, index);
      const where = `jobs.${name}.steps[${index}]`;
      const entry: StepRecord<Run> = { job: name, key, outcome: 'skipped' };
      const action = OUR_ACTION.exec(step.uses ?? '')?.[1];
      if (action) entry.action = action;
      record.steps.push(entry);
      all.push(entry);
      if (blocked.length || !stepCondition(step.if, context, where)) {
        if (!blocked.length) log(`${key}: skipped (if: ${String(step.if ?? 'success()')})`);
        continue;
      }
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([input, value]) => [input, interpolate(value, context, `${where}.with.${input}`)]));
      if (step.run !== undefined) {
        log(`${key}: a run: step, not run by this test`);
        continue;
      }
      if (!action) {
        const uses = (step.uses ?? '').replace(/@.*$/, '');
        const stand = options.otherActions[uses];
        if (!stand) throw new Error(`${where}: no stand-in for uses: ${step.uses}`);
        await stand(name, inputs);
        entry.outcome = 'success';
        log(`${key}: ${uses} prepared by the test`);
        continue;
      }
      Object.assign(inputs, overrides[key]);
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([variable, value]) => [variable, interpolate(value, context, `${where}.env.${variable}`)]));
      entry.inputs = inputs;
      entry.env = env;
      const run = await options.runAction(action, { job: name, key, inputs, env });
      entry.run = run;
      entry.outcome = run.exitCode === 0 ? 'success' : 'failure';
      if (step.id) context.steps[step.id] = run.outputs;
      if (entry.outcome === 'failure') context.failed = true;
      log(`${key}: ${action} ${entry.outcome}`);
      await options.afterStep?.(entry);
    }

    record.result = blocked.length ? 'skipped' : context.failed ? 'failure' : 'success';
    if (!blocked.length) {
      for (const [output, value] of Object.entries(job.outputs ?? {})) record.outputs[output] = interpolate(value, context, `jobs.${name}.outputs.${output}`);
    }
    log(`job ${name}: ${record.result}`);
  }

  return {
    jobs,
    steps: all,
    step: (key) => {
      const found = all.find((entry) => entry.key === key);
      if (!found) throw new Error(`no step ${key}; steps: ${all.map((entry) => entry.key).join(', ')}`);
      return found;
    },
  };
}

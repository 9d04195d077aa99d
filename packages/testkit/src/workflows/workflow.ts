/**
 * A workflow file read and checked the way the simulator will run it: every key known to GitHub
 * and modelled here, every `${{ }}` parsed and its contexts and functions allowed where it stands.
 * Anything else is refused before anything runs, naming the file, the key path and its line.
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import {
  checkExpression,
  ExpressionError,
  hasExpression,
  parseCondition,
  parseTemplate,
  references,
  type ContextName,
  type ExpressionPlace,
  type Node,
  type TemplatePart,
} from './expressions.js';
import { parseTriggers, type Triggers } from './events.js';

/** A value as written: plain text, or a template with `${{ }}` parts (parsed once). */
export interface Template {
  source: string;
  parts: TemplatePart[];
  place: ExpressionPlace;
}

export interface Concurrency {
  group: Template;
  cancelInProgress: Template | boolean;
}

export interface Step {
  index: number;
  /** `<job>.<id, name, uses or steps[i]>`: how tests and overrides name the step. */
  key: string;
  id?: string;
  name?: Template;
  if: Node;
  uses?: string;
  run?: Template;
  with: Record<string, Template>;
  env: Record<string, Template>;
  shell?: 'bash';
  workingDirectory?: Template;
  continueOnError: Template | boolean;
  timeoutMinutes?: Template | number;
  where: string;
}

export interface Job {
  id: string;
  name?: Template;
  needs: string[];
  if: Node;
  environment?: { name: Template; url?: Template };
  concurrency?: Concurrency;
  outputs: Record<string, Template>;
  env: Record<string, Template>;
  defaults: { shell?: 'bash'; workingDirectory?: Template };
  timeoutMinutes?: Template | number;
  steps: Step[];
  where: string;
}

export interface Workflow {
  /** The file as given. */
  file: string;
  /** The file name without .yml: how overrides name it (`deliver`). */
  id: string;
  /** `name:`, or the file's path as GitHub shows it. */
  name: string;
  runName?: Template;
  on: Triggers;
  env: Record<string, Template>;
  defaults: { shell?: 'bash'; workingDirectory?: Template };
  concurrency?: Concurrency;
  jobs: Record<string, Job>;
}

export class WorkflowError extends Error {}

// Keys GitHub defines that the simulator does not model: refused as such (not as typos).
const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];
const JOB_KEYS = ['name', 'needs', 'if', 'runs-on', 'permissions', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'steps', 'timeout-minutes'];
const JOB_NOT_MODELLED = ['strategy', 'container', 'services', 'uses', 'with', 'secrets', 'continue-on-error', 'snapshot'];
const STEP_KEYS = ['id', 'name', 'if', 'uses', 'run', 'with', 'env', 'shell', 'working-directory', 'continue-on-error', 'timeout-minutes'];
const PERMISSION_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
];

// Contexts GitHub allows, by place (GitHub's "context availability" table); strategy and matrix are
// left out since the simulator has no `strategy:`.
const C: Record<string, ContextName[]> = {
  workflowTop: ['github', 'inputs', 'vars'],
  workflowEnv: ['github', 'secrets', 'inputs', 'vars'],
  jobIf: ['github', 'needs', 'vars', 'inputs'],
  jobPlain: ['github', 'needs', 'vars', 'inputs'],
  jobEnv: ['github', 'needs', 'vars', 'secrets', 'inputs'],
  jobDefaults: ['github', 'needs', 'env', 'vars', 'inputs'],
  jobOutputs: ['github', 'needs', 'job', 'runner', 'env', 'vars', 'secrets', 'steps', 'inputs'],
  environmentUrl: ['github', 'needs', 'job', 'runner', 'env', 'vars', 'steps', 'inputs'],
  stepIf: ['github', 'needs', 'job', 'runner', 'env', 'vars', 'steps', 'inputs'],
  step: ['github', 'needs', 'job', 'runner', 'env', 'vars', 'secrets', 'steps', 'inputs'],
};

const GITHUB_PROPERTIES = [
  'action',
  'action_path',
  'action_ref',
  'action_repository',
  'action_status',
  'actor',
  'actor_id',
  'api_url',
  'base_ref',
  'env',
  'event',
  'event_name',
  'event_path',
  'graphql_url',
  'head_ref',
  'job',
  'output',
  'path',
  'ref',
  'ref_name',
  'ref_protected',
  'ref_type',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'repositoryurl',
  'retention_days',
  'run_id',
  'run_number',
  'run_attempt',
  'secret_source',
  'server_url',
  'sha',
  'state',
  'token',
  'triggering_actor',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'workspace',
];

interface Reader {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** ` (line N)` of the key (or item) at `path`, when the document has it. */
function lineOf(reader: Reader, path: (string | number)[]): string {
  let node: unknown = reader.doc.contents;
  let range: [number, number, number] | undefined | null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      range = (pair.key as YamlNode).range;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      range = (node as YamlNode | undefined)?.range;
    } else break;
  }
  if (!range) return '';
  return ` (line ${reader.lines.linePos(range[0]).line})`;
}

function whereOf(path: (string | number)[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

class Parser {
  constructor(private readonly reader: Reader) {}

  fail(path: (string | number)[], message: string): never {
    throw new WorkflowError(`${this.reader.file}: ${path.length ? `${whereOf(path)}: ` : ''}${message}${lineOf(this.reader, path)}`);
  }

  object(value: unknown, path: (string | number)[]): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected a mapping, got ${JSON.stringify(value)}`);
    return value as Record<string, unknown>;
  }

  keys(value: Record<string, unknown>, path: (string | number)[], known: string[], notModelled: string[] = []): void {
    for (const key of Object.keys(value)) {
      if (notModelled.includes(key)) this.fail([...path, key], `key "${key}" is not modelled by the simulator`);
      if (!known.includes(key)) this.fail([...path, key], `unknown key "${key}"`);
    }
  }

  /** A scalar that may hold `${{ }}`: parsed, its contexts checked for `contexts`. */
  template(value: unknown, path: (string | number)[], contexts: ContextName[]): Template {
    if (value === null || typeof value === 'object') this.fail(path, `expected a string, got ${JSON.stringify(value)}`);
    const source = String(value);
    const place: ExpressionPlace = { where: whereOf(path), contexts };
    try {
      const parts = parseTemplate(source);
      for (const part of parts) if ('expression' in part) checkExpression(part.expression, place);
      return { source, parts, place };
    } catch (error) {
      if (error instanceof ExpressionError) this.fail(path, error.message.replace(`${place.where}: `, ''));
      throw error;
    }
  }

  condition(value: unknown, path: (string | number)[], contexts: ContextName[]): Node {
    if (value === undefined) return parseCondition('success()');
    if (value === null || typeof value === 'object') this.fail(path, `expected a condition, got ${JSON.stringify(value)}`);
    try {
      const node = parseCondition(value as string | boolean | number);
      checkExpression(node, { where: whereOf(path), contexts, status: true });
      return node;
    } catch (error) {
      if (error instanceof ExpressionError) this.fail(path, error.message.replace(`${whereOf(path)}: `, ''));
      throw error;
    }
  }

  map(value: unknown, path: (string | number)[], contexts: ContextName[]): Record<string, Template> {
    if (value === undefined) return {};
    const object = this.object(value, path);
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, this.template(inner, [...path, key], contexts)]));
  }

  boolOrTemplate(value: unknown, path: (string | number)[], contexts: ContextName[], fallback: boolean): Template | boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && hasExpression(value)) return this.template(value, path, contexts);
    return this.fail(path, `expected true, false or an expression, got ${JSON.stringify(value)}`);
  }

  numberOrTemplate(value: unknown, path: (string | number)[], contexts: ContextName[]): Template | number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && value > 0) return value;
    if (typeof value === 'string' && hasExpression(value)) return this.template(value, path, contexts);
    return this.fail(path, `expected a number of minutes, got ${JSON.stringify(value)}`);
  }

  concurrency(value: unknown, path: (string | number)[], contexts: ContextName[]): Concurrency | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return { group: this.template(value, path, contexts), cancelInProgress: false };
    const object = this.object(value, path);
    this.keys(object, path, ['group', 'cancel-in-progress']);
    if (object.group === undefined) this.fail(path, 'concurrency needs a group');
    return {
      group: this.template(object.group, [...path, 'group'], contexts),
      cancelInProgress: this.boolOrTemplate(object['cancel-in-progress'], [...path, 'cancel-in-progress'], contexts, false),
    };
  }

  permissions(value: unknown, path: (string | number)[]): void {
    if (value === undefined || value === 'read-all' || value === 'write-all') return;
    const object = this.object(value, path);
    for (const [scope, level] of Object.entries(object)) {
      if (!PERMISSION_SCOPES.includes(scope)) this.fail([...path, scope], `unknown permission "${scope}"`);
      const levels = scope === 'id-token' || scope === 'models' ? ['write', 'read', 'none'] : ['read', 'write', 'none'];
      if (typeof level !== 'string' || !levels.includes(level)) this.fail([...path, scope], `expected ${levels.join(', ')}, got ${JSON.stringify(level)}`);
    }
  }

  defaults(value: unknown, path: (string | number)[], contexts: ContextName[]): { shell?: 'bash'; workingDirectory?: Template } {
    if (value === undefined) return {};
    const object = this.object(value, path);
    this.keys(object, path, ['run']);
    const run = this.object(object.run ?? {}, [...path, 'run']);
    this.keys(run, [...path, 'run'], ['shell', 'working-directory']);
    return {
      ...(run.shell !== undefined ? { shell: this.shell(run.shell, [...path, 'run', 'shell']) } : {}),
      ...(run['working-directory'] !== undefined
        ? { workingDirectory: this.template(run['working-directory'], [...path, 'run', 'working-directory'], contexts) }
        : {}),
    };
  }

  shell(value: unknown, path: (string | number)[]): 'bash' {
    if (value !== 'bash') this.fail(path, `shell ${JSON.stringify(value)} is not modelled by the simulator (bash only)`);
    return 'bash';
  }

  step(value: unknown, jobId: string, index: number, stepIds: Set<string>): Step {
    const path = ['jobs', jobId, 'steps', index];
    const object = this.object(value, path);
    this.keys(object, path, STEP_KEYS);
    const has = (key: string) => object[key] !== undefined;
    if (has('uses') === has('run')) this.fail(path, 'a step has either uses: or run:');
    if (has('with') && !has('uses')) this.fail([...path, 'with'], 'with: belongs to a uses: step');
    if (has('shell') && !has('run')) this.fail([...path, 'shell'], 'shell: belongs to a run: step');
    if (has('working-directory') && !has('run')) this.fail([...path, 'working-directory'], 'working-directory: belongs to a run: step');
    if (has('uses') && typeof object.uses !== 'string') this.fail([...path, 'uses'], 'expected a string');
    if (has('uses') && hasExpression(object.uses as string)) this.fail([...path, 'uses'], 'uses: cannot hold an expression');
    let id: string | undefined;
    if (has('id')) {
      id = String(object.id);
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id))
        this.fail([...path, 'id'], `step id "${id}" must start with a letter or _ and hold only letters, digits, - and _`);
      if (stepIds.has(id)) this.fail([...path, 'id'], `step id "${id}" is used twice in job ${jobId}`);
      stepIds.add(id);
    }
    const name = has('name') ? this.template(object.name, [...path, 'name'], C.step!) : undefined;
    const label = id ?? (has('name') ? String(object.name) : undefined) ?? (object.uses as string | undefined) ?? `steps[${index}]`;
    return {
      index,
      key: `${jobId}.${label}`,
      ...(id !== undefined ? { id } : {}),
      ...(name ? { name } : {}),
      if: this.condition(object.if, [...path, 'if'], C.stepIf!),
      ...(has('uses') ? { uses: object.uses as string } : {}),
      ...(has('run') ? { run: this.template(object.run, [...path, 'run'], C.step!) } : {}),
      with: this.map(object.with, [...path, 'with'], C.step!),
      env: this.map(object.env, [...path, 'env'], C.step!),
      ...(has('shell') ? { shell: this.shell(object.shell, [...path, 'shell']) } : {}),
      ...(has('working-directory') ? { workingDirectory: this.template(object['working-directory'], [...path, 'working-directory'], C.step!) } : {}),
      continueOnError: this.boolOrTemplate(object['continue-on-error'], [...path, 'continue-on-error'], C.step!, false),
      ...(has('timeout-minutes') ? { timeoutMinutes: this.numberOrTemplate(object['timeout-minutes'], [...path, 'timeout-minutes'], C.step!)! } : {}),
      where: whereOf(path),
    };
  }

  job(id: string, value: unknown): Job {
    const path = ['jobs', id];
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) this.fail(path, `job id "${id}" must start with a letter or _ and hold only letters, digits, - and _`);
    const object = this.object(value, path);
    this.keys(object, path, JOB_KEYS, JOB_NOT_MODELLED);
    const needs = object.needs === undefined ? [] : Array.isArray(object.needs) ? object.needs.map(String) : [String(object.needs)];
    this.permissions(object.permissions, [...path, 'permissions']);
    if (!Array.isArray(object.steps) || object.steps.length === 0) this.fail([...path, 'steps'], 'a job needs a list of steps');
    const stepIds = new Set<string>();
    const steps = object.steps.map((step, index) => this.step(step, id, index, stepIds));
    let environment: Job['environment'];
    if (object.environment !== undefined) {
      const envPath = [...path, 'environment'];
      if (typeof object.environment === 'string') environment = { name: this.template(object.environment, envPath, C.jobPlain!) };
      else {
        const spec = this.object(object.environment, envPath);
        this.keys(spec, envPath, ['name', 'url', 'deployment']);
        if (spec.deployment !== undefined) this.fail([...envPath, 'deployment'], 'key "deployment" is not modelled by the simulator');
        if (spec.name === undefined) this.fail(envPath, 'environment needs a name');
        environment = {
          name: this.template(spec.name, [...envPath, 'name'], C.jobPlain!),
          ...(spec.url !== undefined ? { url: this.template(spec.url, [...envPath, 'url'], C.environmentUrl!) } : {}),
        };
      }
    }
    const concurrency = this.concurrency(object.concurrency, [...path, 'concurrency'], C.jobPlain!);
    const timeoutMinutes = this.numberOrTemplate(object['timeout-minutes'], [...path, 'timeout-minutes'], C.jobPlain!);
    const job: Job = {
      id,
      ...(object.name !== undefined ? { name: this.template(object.name, [...path, 'name'], C.jobPlain!) } : {}),
      needs,
      if: this.condition(object.if, [...path, 'if'], C.jobIf!),
      ...(environment ? { environment } : {}),
      ...(concurrency ? { concurrency } : {}),
      outputs: this.map(object.outputs, [...path, 'outputs'], C.jobOutputs!),
      env: this.map(object.env, [...path, 'env'], C.jobEnv!),
      defaults: this.defaults(object.defaults, [...path, 'defaults'], C.jobDefaults!),
      ...(timeoutMinutes !== undefined ? { timeoutMinutes } : {}),
      steps,
      where: whereOf(path),
    };
    return job;
  }
}

/** Every template and condition of a job, with where it is: for the reference checks. */
function expressionsOf(job: Job): { node: Node; where: string; step?: number }[] {
  const found: { node: Node; where: string; step?: number }[] = [];
  const add = (template: Template | undefined, step?: number) => {
    for (const part of template?.parts ?? [])
      if ('expression' in part) found.push({ node: part.expression, where: template!.place.where, ...(step !== undefined ? { step } : {}) });
  };
  found.push({ node: job.if, where: `${job.where}.if` });
  add(job.name);
  add(job.environment?.name);
  add(job.environment?.url, job.steps.length);
  if (job.concurrency) {
    add(job.concurrency.group);
    if (typeof job.concurrency.cancelInProgress !== 'boolean') add(job.concurrency.cancelInProgress);
  }
  Object.values(job.outputs).forEach((template) => add(template, job.steps.length));
  Object.values(job.env).forEach((template) => add(template));
  for (const step of job.steps) {
    found.push({ node: step.if, where: `${step.where}.if`, step: step.index });
    for (const template of [step.name, step.run, step.workingDirectory, ...Object.values(step.with), ...Object.values(step.env)]) add(template, step.index);
    if (typeof step.continueOnError !== 'boolean') add(step.continueOnError, step.index);
    if (typeof step.timeoutMinutes === 'object') add(step.timeoutMinutes, step.index);
  }
  return found;
}

/**
 * References GitHub would quietly read as null, refused because they can only be mistakes: a step id
 * not in this job or not before this step, a job not in `needs`, an input the workflow does not
 * declare, a github property GitHub does not have.
 */
function checkReferences(workflow: Workflow, job: Job, fail: (path: (string | number)[], message: string) => never): void {
  const stepIndex = new Map(job.steps.flatMap((step) => (step.id ? [[step.id, step.index] as const] : [])));
  const declaredInputs = workflow.on.inputs;
  for (const { node, where, step } of expressionsOf(job)) {
    const path = where
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    for (const [root, first, second] of references(node)) {
      if (root === 'steps' && first !== undefined) {
        const index = stepIndex.get(first);
        if (index === undefined) fail(path, `steps.${first}: no step of job ${job.id} has id "${first}"`);
        if (step !== undefined && index! >= step) fail(path, `steps.${first}: step "${first}" does not run before this`);
        if (second !== undefined && !['outputs', 'outcome', 'conclusion'].includes(second))
          fail(path, `steps.${first}.${second}: a step has outputs, outcome and conclusion`);
      }
      if (root === 'needs' && first !== undefined) {
        if (!job.needs.includes(first)) fail(path, `needs.${first}: job ${job.id} does not need ${first} (needs: ${job.needs.join(', ') || 'none'})`);
        if (second !== undefined && !['outputs', 'result'].includes(second)) fail(path, `needs.${first}.${second}: a needed job has outputs and result`);
      }
      if (root === 'inputs' && first !== undefined && declaredInputs && !declaredInputs.includes(first)) {
        fail(path, `inputs.${first}: the workflow declares no input "${first}" (inputs: ${declaredInputs.join(', ') || 'none'})`);
      }
      if (root === 'inputs' && first !== undefined && !declaredInputs) fail(path, `inputs.${first}: the workflow has no workflow_dispatch inputs`);
      if (root === 'github' && first !== undefined && !GITHUB_PROPERTIES.includes(first.toLowerCase()))
        fail(path, `github.${first}: GitHub's github context has no property "${first}"`);
    }
  }
}

export function parseWorkflow(text: string, file: string): Workflow {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) throw new WorkflowError(`${file}: ${doc.errors[0]!.message}`);
  const reader: Reader = { file, doc, lines };
  const parser = new Parser(reader);
  const root = parser.object(doc.toJS(), []);
  parser.keys(root, [], WORKFLOW_KEYS);
  if (root.on === undefined) parser.fail([], 'a workflow needs on:');
  const on = parseTriggers(root.on, (path, message) => parser.fail(['on', ...path], message));
  parser.permissions(root.permissions, ['permissions']);
  const jobs = parser.object(root.jobs, ['jobs']);
  if (Object.keys(jobs).length === 0) parser.fail(['jobs'], 'a workflow needs at least one job');
  const relativeFile = relative(process.cwd(), file);
  const workflow: Workflow = {
    file,
    id: basename(file).replace(/\.ya?ml$/, ''),
    name: root.name !== undefined ? String(root.name) : relativeFile,
    ...(root['run-name'] !== undefined ? { runName: parser.template(root['run-name'], ['run-name'], C.workflowTop!) } : {}),
    on,
    env: parser.map(root.env, ['env'], C.workflowEnv!),
    defaults: parser.defaults(root.defaults, ['defaults'], ['github', 'env', 'vars', 'inputs']),
    ...(root.concurrency !== undefined ? { concurrency: parser.concurrency(root.concurrency, ['concurrency'], C.workflowTop!)! } : {}),
    jobs: Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, parser.job(id, job)])),
  };
  if (workflow.runName) checkTopLevel(workflow.runName, workflow, parser);
  if (workflow.concurrency) checkTopLevel(workflow.concurrency.group, workflow, parser);
  for (const job of Object.values(workflow.jobs)) {
    for (const need of job.needs) if (!workflow.jobs[need]) parser.fail(['jobs', job.id, 'needs'], `needs unknown job "${need}"`);
    checkReferences(workflow, job, (path, message) => parser.fail(path, message));
  }
  jobsInOrder(workflow);
  return workflow;
}

function checkTopLevel(template: Template, workflow: Workflow, parser: Parser): void {
  for (const part of template.parts) {
    if (!('expression' in part)) continue;
    for (const [root, first] of references(part.expression)) {
      if (root === 'inputs' && first !== undefined && !workflow.on.inputs?.includes(first))
        parser.fail([template.place.where], `inputs.${first}: the workflow declares no input "${first}"`);
      if (root === 'github' && first !== undefined && !GITHUB_PROPERTIES.includes(first.toLowerCase()))
        parser.fail([template.place.where], `github.${first}: GitHub's github context has no property "${first}"`);
    }
  }
}

export function loadWorkflow(file: string): Workflow {
  return parseWorkflow(readFileSync(file, 'utf8'), file);
}

/** Job ids, each after every job it needs (file order otherwise); a cycle is refused. */
export function jobsInOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new WorkflowError(`${workflow.file}: jobs: needs cycle ${[...path, id].join(' -> ')}`);
    for (const need of workflow.jobs[id]!.needs) visit(need, [...path, id]);
    order.push(id);
  };
  Object.keys(workflow.jobs).forEach((id) => visit(id, []));
  return order;
}

/** Every job a job needs, directly or through others. */
export function ancestorsOf(workflow: Workflow, id: string): string[] {
  const found = new Set<string>();
  const visit = (job: string) => {
    for (const need of workflow.jobs[job]!.needs) {
      if (!found.has(need)) {
        found.add(need);
        visit(need);
      }
    }
  };
  visit(id);
  return [...found];
}

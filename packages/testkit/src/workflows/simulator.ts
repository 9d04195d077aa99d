/**
 * The workflow simulator: given workflow files and an event, it starts every workflow whose `on:`
 * matches, all at once, as GitHub does; each run's jobs start when the jobs they need are done
 * (`if:` with success(), failure(), always(), cancelled() over their ancestors), each job a set of
 * real processes racing the others. Workflow- and job-level concurrency groups queue and cancel as
 * GitHub documents; a finished run raises `workflow_run` for the workflows listening; a job naming
 * an environment waits for the test's approval hook. The GitHub stand-in is its API: GITHUB_API_URL
 * points at it, pushes move its branch, each job shows as a check run on the commit, and a workflow
 * dispatched through it starts here. Everything that happens goes on a timeline.
 *
 *   const sim = new Simulator({ workflows: [ci, deliver], github: gh, actions: { 'actions/checkout': checkoutFrom(origin) } });
 *   sim.trigger({ name: 'push', ref: 'refs/heads/main', sha });
 *   await sim.settled();
 *   sim.run('deliver').job('candidate').result;
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createCheckRun, updateCheckRun } from '../github/handlers/checks.js';
import type { GitHubStandIn } from '../github/server.js';
import type { WorkflowDispatch } from '../github/store.js';
import { inheritedEnvironment } from '../run-action.js';
import { ConcurrencyGroups, type ConcurrencyDecision, type Holder } from './concurrency.js';
import { dispatchInputs, eventFacts, isModelled, matchEvent, type EventFacts, type Repository, type SimEvent, type WorkflowRunEvent } from './events.js';
import { evaluate, evaluateTemplate, truthy, type Scope, type Value } from './expressions.js';
import { JobRun, text, type JobContexts } from './job.js';
import { GITHUB_GRACE, type Grace } from './process.js';
import { describeEntry, type JobRecord, type JobResult, type RunRecord, type StepRecord, type TimelineEntry } from './records.js';
import { ALLOWED_ACTIONS, type ActionStandIn } from './standins.js';
import { resolveUses } from './uses.js';
import { ancestorsOf, jobsInOrder, loadWorkflow, parseWorkflow, type Job, type Workflow } from './workflow.js';

export type ApprovalDecision = 'approve' | 'reject';

export interface ApprovalRequest {
  workflow: string;
  run: number;
  job: string;
  environment: string;
  sha: string;
}

/** Decides a required review: at once, or later (a promise the test resolves when it releases the job). */
export type ApprovalHook = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;

export interface EnvironmentSetup {
  /** Environment secrets, over the repository's, for jobs naming the environment. */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** A required reviewer: without one, the environment has no protection rule. */
  approve?: ApprovalHook;
}

export interface SimulatorOptions {
  /** Workflow files (paths), or workflows given as text: `{ file: 'x.yml', text }`. */
  workflows: (string | { file: string; text: string })[];
  /** The GitHub stand-in: the runs' API, their token, the repository and its branch heads. */
  github?: GitHubStandIn;
  /** Without a stand-in: the repository (octo-org/app, default branch main). */
  repository?: Partial<Repository>;
  /** Repository secrets (no run of a pull request from a fork gets them). */
  secrets?: Record<string, string>;
  /** Repository variables (`vars`). */
  vars?: Record<string, string>;
  environments?: Record<string, EnvironmentSetup>;
  /** Stand-ins for other people's actions, by `owner/name` (see ALLOWED_ACTIONS, checkoutFrom, artifactsIn, setupNode). */
  actions?: Record<string, ActionStandIn>;
  /**
   * Inputs replacing the workflow's, by `<workflow id>/<step key>` (`deliver/production.watch`):
   * each must name an input the step sets, so an override cannot outlive what it replaces.
   */
  overrides?: Record<string, Record<string, string>>;
  /** The runner's cancellation grace (GitHub: SIGINT, 7500 ms, SIGTERM, 2500 ms, kill); shorter in tests. */
  grace?: Partial<Grace>;
  /** Called after each step that ran, before the job's next step: what happens in the world meanwhile. */
  onStep?(step: StepRecord, run: RunRecord): void | Promise<void>;
  log?(line: string): void;
}

class Deferred<T> {
  resolve!: (value: T) => void;
  reject!: (error: Error) => void;
  settled = false;
  readonly promise = new Promise<T>((resolve, reject) => {
    this.resolve = (value) => {
      this.settled = true;
      resolve(value);
    };
    this.reject = (error) => {
      this.settled = true;
      reject(error);
    };
  });
}

type Wait = { start: true } | { cancel: string };

interface JobState {
  job: Job;
  record: JobRecord;
  done: Deferred<void>;
  holder: Holder;
  /** Waiting for a concurrency group or a review: resolving it with cancel ends the wait. */
  waiting?: Deferred<Wait>;
  runner?: JobRun;
  checkRunId?: number;
}

interface RunState {
  workflow: Workflow;
  record: RunRecord;
  facts: EventFacts;
  inputs: Record<string, Value>;
  holder: Holder;
  cancelled: boolean;
  waiting?: Deferred<Wait>;
  jobs: Map<string, JobState>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  env: Record<string, string>;
  token: string;
}

const CLOSED_PORT = 'http://127.0.0.1:9';

export class Simulator {
  readonly timeline: TimelineEntry[] = [];
  readonly runs: RunRecord[] = [];
  readonly workflows: Workflow[];
  private readonly options: SimulatorOptions;
  private readonly repository: Repository;
  private readonly grace: Grace;
  private readonly groups = new ConcurrencyGroups();
  private readonly states = new Map<number, RunState>();
  private readonly active = new Set<Promise<void>>();
  private readonly watchers: { predicate: (entry: TimelineEntry) => boolean; found: Deferred<TimelineEntry>; what: string }[] = [];
  private readonly heads = new Map<string, string>();
  private readonly runNumbers = new Map<string, number>();
  private readonly started = performance.now();
  private readonly failures: Error[] = [];
  private readonly dispatchListener: (dispatch: WorkflowDispatch) => void;
  private nextRunId = 1001;
  readonly dir: string;

  constructor(options: SimulatorOptions) {
    this.options = options;
    this.grace = { ...GITHUB_GRACE, ...options.grace };
    const site = options.github?.store.site;
    this.repository = {
      owner: site?.owner ?? options.repository?.owner ?? 'octo-org',
      repo: site?.repo ?? options.repository?.repo ?? 'app',
      defaultBranch: site?.defaultBranch ?? options.repository?.defaultBranch ?? 'main',
    };
    this.workflows = options.workflows.map((workflow) => (typeof workflow === 'string' ? loadWorkflow(workflow) : parseWorkflow(workflow.text, workflow.file)));
    this.check();
    this.dir = mkdtempSync(join(tmpdir(), 'cutover-sim-'));
    this.dispatchListener = (dispatch) => {
      try {
        this.trigger({
          name: 'workflow_dispatch',
          workflow: dispatch.workflowId,
          ref: dispatch.ref,
          inputs: Object.fromEntries(Object.entries(dispatch.inputs).map(([key, value]) => [key, String(value)])),
        });
      } catch (error) {
        this.note({ kind: 'event', result: 'refused', detail: `workflow_dispatch of ${dispatch.workflowId} through the API: ${(error as Error).message}` });
      }
    };
    options.github?.store.dispatchListeners.push(this.dispatchListener);
  }

  /** Everything that cannot run is refused before anything does, naming file, job, step and key. */
  private check(): void {
    const ids = new Set<string>();
    for (const name of Object.keys(this.options.actions ?? {})) {
      if (!ALLOWED_ACTIONS[name])
        throw new Error(`actions: ${name} is not an action the simulator has stand-ins for (${Object.keys(ALLOWED_ACTIONS).join(', ')})`);
    }
    for (const workflow of this.workflows) {
      if (ids.has(workflow.id)) throw new Error(`${workflow.file}: a second workflow with id ${workflow.id}`);
      ids.add(workflow.id);
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps) {
          if (!step.uses) continue;
          const where = `${workflow.file}: ${step.where}`;
          let uses;
          try {
            uses = resolveUses(step.uses);
          } catch (error) {
            throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
          }
          const declared = uses.kind === 'ours' ? Object.keys(uses.spec.inputs) : uses.inputs;
          for (const input of Object.keys(step.with)) {
            if (!declared.includes(input)) throw new Error(`${where}.with: ${uses.name} declares no input "${input}"`);
          }
          if (uses.kind === 'stand-in' && !this.options.actions?.[uses.name])
            throw new Error(`${where}: uses ${uses.name}, and the test gives no stand-in for it (options.actions)`);
        }
      }
    }
    for (const [key, inputs] of Object.entries(this.options.overrides ?? {})) {
      const [id, stepKey] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const workflow = this.workflows.find((candidate) => candidate.id === id);
      if (!workflow) throw new Error(`override ${key}: no workflow ${id} (workflows: ${[...ids].join(', ')})`);
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const step = steps.find((candidate) => candidate.key === stepKey);
      if (!step) throw new Error(`override ${key}: no such step (steps: ${steps.map((candidate) => candidate.key).join(', ')})`);
      for (const input of Object.keys(inputs)) if (!(input in step.with)) throw new Error(`override ${key}: the step sets no input "${input}"`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events

  /** Raises an event: the runs it starts (queued), or a thrown error naming what is refused. */
  trigger(event: SimEvent): RunRecord[] {
    if (!isModelled(event.name)) throw new Error(`event ${event.name} is not modelled by the simulator`);
    const matched: { workflow: Workflow; inputs: Record<string, Value>; facts: EventFacts }[] = [];
    for (const workflow of this.workflows) {
      let match;
      try {
        match = matchEvent(workflow.on, event, workflow);
      } catch (error) {
        throw new Error(`${workflow.file}: ${(error as Error).message}`, { cause: error });
      }
      if (!match.starts) continue;
      const inputs = event.name === 'workflow_dispatch' ? dispatchInputs(match.filters, event.inputs ?? {}, workflow.file) : {};
      matched.push({ workflow, inputs, facts: eventFacts(event, this.repository, (branch) => this.branchHead(branch), inputs) });
    }
    if (event.name === 'workflow_dispatch' && matched.length === 0) {
      throw new Error(
        `workflow_dispatch: no workflow ${event.workflow} with on: workflow_dispatch (workflows: ${this.workflows.map((workflow) => workflow.id).join(', ')})`,
      );
    }
    if (event.name === 'push' && event.ref.startsWith('refs/heads/')) {
      const branch = event.ref.slice('refs/heads/'.length);
      this.heads.set(branch, event.sha);
      this.options.github?.store.setRef(`heads/${branch}`, event.sha);
    }
    const level = event.name === 'workflow_run' ? (event.level ?? 1) + 1 : 1;
    if (event.name !== 'workflow_run' || matched.length) {
      this.note({
        kind: 'event',
        result: event.name,
        detail: `${describeEvent(event)} starts ${matched.map((match) => match.workflow.id).join(', ') || 'nothing'}`,
      });
    }
    return matched.map(({ workflow, inputs, facts }) => this.createRun(workflow, event, inputs, facts, level));
  }

  private branchHead(branch: string): string | undefined {
    return this.heads.get(branch) ?? this.options.github?.store.refs.get(`heads/${branch}`);
  }

  private createRun(workflow: Workflow, event: SimEvent, inputs: Record<string, Value>, facts: EventFacts, level: number): RunRecord {
    const id = this.nextRunId++;
    const number = (this.runNumbers.get(workflow.id) ?? 0) + 1;
    this.runNumbers.set(workflow.id, number);
    const steps: StepRecord[] = [];
    const record: RunRecord = {
      id,
      number,
      workflow: workflow.id,
      name: workflow.name,
      file: workflow.file,
      displayTitle: workflow.name,
      event: event.name,
      sha: facts.sha,
      ref: facts.ref,
      headSha: facts.headSha,
      headBranch: facts.headBranch,
      status: 'queued',
      level,
      jobs: {},
      steps,
      step: (key) => {
        const found = steps.find((step) => step.key === key);
        if (!found) throw new Error(`${workflow.id}#${id}: no step ${key}; steps: ${steps.map((step) => step.key).join(', ')}`);
        return found;
      },
      job: (jobId) => {
        const found = record.jobs[jobId];
        if (!found) throw new Error(`${workflow.id}#${id}: no job ${jobId}; jobs: ${Object.keys(record.jobs).join(', ')}`);
        return found;
      },
    };
    const fork = facts.fork;
    const github = this.options.github;
    const state: RunState = {
      workflow,
      record,
      facts,
      inputs,
      holder: { id: String(id), run: id, kind: 'workflow' },
      cancelled: false,
      jobs: new Map(),
      // Pull requests from forks get neither secrets nor variables, and a read-only GITHUB_TOKEN.
      secrets: fork ? {} : { ...this.options.secrets },
      vars: fork ? {} : { ...this.options.vars },
      env: {},
      token: github ? (fork ? github.readOnlyToken : github.token) : '',
    };
    for (const jobId of jobsInOrder(workflow)) {
      const job = workflow.jobs[jobId]!;
      const jobRecord: JobRecord = {
        workflow: workflow.id,
        run: id,
        id: jobId,
        name: jobId,
        status: 'waiting',
        outputs: {},
        steps: [],
        token: fork ? 'read-only' : 'write',
        secrets: [],
        summary: '',
      };
      record.jobs[jobId] = jobRecord;
      state.jobs.set(jobId, { job, record: jobRecord, done: new Deferred(), holder: { id: `${id}/${jobId}`, run: id, kind: 'job' } });
    }
    if (workflow.runName) {
      try {
        record.displayTitle = text(workflow.runName, { contexts: { github: this.githubContext(state), inputs, vars: state.vars } });
      } catch {
        // GitHub shows the workflow's name when run-name cannot be evaluated.
      }
    }
    this.runs.push(record);
    this.states.set(id, state);
    this.note({ kind: 'workflow-requested', run: id, workflow: workflow.id, detail: `${event.name} on ${facts.ref} at ${facts.sha.slice(0, 7)}` });
    this.track(this.execute(state));
    return record;
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => {
      this.failures.push(error instanceof Error ? error : new Error(String(error)));
    });
    this.active.add(tracked);
    void tracked.finally(() => {
      this.active.delete(tracked);
      if (this.active.size === 0) this.idle();
    });
  }

  private idle(): void {
    for (const watcher of this.watchers.splice(0)) {
      watcher.found.reject(new Error(`the simulation settled without ${watcher.what}; timeline:\n${this.describe().join('\n')}`));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  private githubContext(run: RunState, jobId?: string, workspace?: string): Record<string, Value> {
    const { facts, record } = run;
    const repository = `${this.repository.owner}/${this.repository.repo}`;
    const apiUrl = this.options.github?.apiUrl ?? CLOSED_PORT;
    const isTag = facts.ref.startsWith('refs/tags/');
    return {
      action: '',
      action_path: '',
      action_ref: '',
      action_repository: '',
      action_status: '',
      actor: (facts.payload.sender as { login?: string } | undefined)?.login ?? 'octocat',
      actor_id: '583231',
      api_url: apiUrl,
      base_ref: facts.baseRef ?? '',
      env: '',
      event: facts.payload as Value,
      event_name: record.event,
      event_path: '',
      graphql_url: `${apiUrl}/graphql`,
      head_ref: facts.headRef ?? '',
      job: jobId ?? '',
      output: '',
      path: '',
      ref: facts.ref,
      ref_name: facts.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge'),
      ref_protected: false,
      ref_type: isTag ? 'tag' : 'branch',
      repository,
      repository_id: '700001',
      repository_owner: this.repository.owner,
      repository_owner_id: '9919',
      repositoryurl: `git://github.com/${repository}.git`,
      retention_days: '90',
      run_id: String(record.id),
      run_number: String(record.number),
      run_attempt: '1',
      secret_source: 'Actions',
      server_url: 'https://github.com',
      sha: facts.sha,
      state: '',
      token: run.token,
      triggering_actor: (facts.payload.sender as { login?: string } | undefined)?.login ?? 'octocat',
      workflow: record.name,
      workflow_ref: `${repository}/.github/workflows/${basename(run.workflow.file)}@${facts.ref}`,
      workflow_sha: facts.sha,
      workspace: workspace ?? '',
    };
  }

  private async execute(run: RunState): Promise<void> {
    const { workflow, record } = run;
    try {
      this.raiseWorkflowRun(run, 'requested');
      if (run.cancelled) return;
      if (workflow.concurrency) {
        const scope: Scope = { contexts: { github: this.githubContext(run), inputs: run.inputs, vars: run.vars } };
        const group = text(workflow.concurrency.group, scope);
        const cancelInProgress =
          typeof workflow.concurrency.cancelInProgress === 'boolean'
            ? workflow.concurrency.cancelInProgress
            : truthy(evaluateTemplate(workflow.concurrency.cancelInProgress.parts, scope, 'concurrency.cancel-in-progress'));
        record.concurrencyGroup = group;
        const got = await this.acquire(run.holder, group, cancelInProgress, () => {
          record.status = 'pending';
          this.note({ kind: 'workflow-pending', run: record.id, workflow: workflow.id, detail: `concurrency group ${group}` });
        });
        if ('cancel' in got) {
          run.cancelled = true;
          record.cancelReason = got.cancel;
          return;
        }
      }
      if (run.cancelled) return;
      record.status = 'in_progress';
      this.note({ kind: 'workflow-started', run: record.id, workflow: workflow.id });
      this.raiseWorkflowRun(run, 'in_progress');
      const envScope: Scope = { contexts: { github: this.githubContext(run), secrets: this.secretsContext(run, {}), inputs: run.inputs, vars: run.vars } };
      for (const [name, template] of Object.entries(workflow.env)) run.env[name] = text(template, envScope);
      // Every job to its end before the run ends, even when one of them broke.
      const jobs = await Promise.allSettled([...run.jobs.values()].map((job) => this.executeJob(run, job)));
      const broken = jobs.find((job): job is PromiseRejectedResult => job.status === 'rejected');
      if (broken) throw broken.reason;
    } finally {
      // A run cancelled before it started has no jobs on GitHub's checks; the records say why.
      const started = record.status === 'in_progress';
      for (const job of run.jobs.values()) {
        if (job.record.status !== 'completed') this.finishJob(run, job, 'cancelled', record.cancelReason ?? 'the run did not start', started);
      }
      record.conclusion = this.conclusion(run);
      record.status = 'completed';
      this.release(run.holder);
      this.note({
        kind: 'workflow-completed',
        run: record.id,
        workflow: workflow.id,
        result: record.conclusion,
        ...(record.cancelReason ? { detail: record.cancelReason } : {}),
      });
      this.raiseWorkflowRun(run, 'completed');
    }
  }

  private conclusion(run: RunState): RunRecord['conclusion'] {
    const results = Object.values(run.record.jobs).map((job) => job.result);
    if (run.cancelled) return 'cancelled';
    if (results.includes('failure')) return 'failure';
    if (results.includes('cancelled')) return 'cancelled';
    if (results.every((result) => result === 'skipped')) return 'skipped';
    return 'success';
  }

  /** workflow_run for the workflows listening; GitHub stops chains after three levels. */
  private raiseWorkflowRun(run: RunState, action: WorkflowRunEvent['action']): void {
    if (run.record.level >= 3) return;
    const { record } = run;
    const event: WorkflowRunEvent = {
      name: 'workflow_run',
      action,
      workflow: record.name,
      workflowPath: `.github/workflows/${basename(record.file)}`,
      runId: record.id,
      runNumber: record.number,
      event: record.event,
      status: record.status === 'pending' ? 'queued' : record.status === 'completed' ? 'completed' : record.status === 'in_progress' ? 'in_progress' : 'queued',
      conclusion: record.conclusion ?? null,
      headSha: record.headSha,
      headBranch: record.headBranch,
      headRepository: run.facts.headRepository,
      // GitHub lists the run's pull request, except for one from a fork.
      pullRequests: run.facts.pullRequest && !run.facts.fork ? [run.facts.pullRequest] : [],
      level: record.level,
    };
    if (!this.workflows.some((workflow) => matchEvent(workflow.on, event, workflow).starts)) return;
    this.trigger(event);
  }

  /** Cancels a run as GitHub does: jobs whose `if:` holds under cancelled() go on, the others stop. */
  cancel(runId: number, reason = 'cancelled by the test'): void {
    const run = this.states.get(runId);
    if (!run) throw new Error(`no run ${runId}`);
    this.cancelRun(run, reason);
  }

  private cancelRun(run: RunState, reason: string): void {
    if (run.record.status === 'completed' || run.cancelled) return;
    run.cancelled = true;
    run.record.cancelReason = reason;
    this.note({ kind: 'workflow-cancelling', run: run.record.id, workflow: run.workflow.id, detail: reason });
    run.waiting?.resolve({ cancel: reason });
    for (const job of run.jobs.values()) {
      if (job.record.status === 'completed' || job.record.status === 'waiting') continue;
      if (this.jobCondition(run, job)) continue;
      this.cancelJob(job, reason);
    }
  }

  private cancelJob(job: JobState, reason: string): void {
    if (job.waiting && !job.waiting.settled) job.waiting.resolve({ cancel: reason });
    else job.runner?.cancel(reason);
  }

  // -------------------------------------------------------------------------------------------
  // Concurrency

  /** Asks for a group; resolves when the holder runs, or is cancelled while pending. */
  private async acquire(holder: Holder, group: string, cancelInProgress: boolean, onWait: () => void): Promise<Wait> {
    const waiting = new Deferred<Wait>();
    this.setWaiting(holder, waiting);
    const decisions = this.groups.request(holder, group, cancelInProgress);
    if (decisions.some((decision) => decision.action === 'wait' && decision.holder.id === holder.id)) onWait();
    this.apply(decisions);
    const got = await waiting.promise;
    this.setWaiting(holder, undefined);
    return got;
  }

  private setWaiting(holder: Holder, waiting: Deferred<Wait> | undefined): void {
    const run = this.states.get(holder.run)!;
    if (holder.kind === 'workflow') run.waiting = waiting;
    else run.jobs.get(holder.id.split('/')[1]!)!.waiting = waiting;
  }

  private release(holder: Holder): void {
    this.apply(this.groups.release(holder));
  }

  private apply(decisions: ConcurrencyDecision[]): void {
    for (const decision of decisions) {
      const run = this.states.get(decision.holder.run)!;
      const job = decision.holder.kind === 'job' ? run.jobs.get(decision.holder.id.split('/')[1]!)! : undefined;
      const waiting = job ? job.waiting : run.waiting;
      if (decision.action === 'start') waiting?.resolve({ start: true });
      if (decision.action === 'wait' && job) {
        job.record.status = 'pending';
        this.note({
          kind: 'job-pending',
          run: run.record.id,
          workflow: run.workflow.id,
          job: job.job.id,
          detail: `concurrency group ${decision.group}, behind ${decision.behind.id}`,
        });
      }
      if (decision.action === 'cancel') {
        if (waiting && !waiting.settled) waiting.resolve({ cancel: decision.reason });
        else if (job) this.cancelJob(job, decision.reason);
        else this.cancelRun(run, decision.reason);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Jobs

  private secretsContext(run: RunState, extra: Record<string, string>): Record<string, Value> {
    return { ...run.secrets, ...extra, GITHUB_TOKEN: run.token };
  }

  private needsContext(run: RunState, job: Job): Record<string, Value> {
    return Object.fromEntries(job.needs.map((need) => [need, { result: run.record.jobs[need]!.result ?? null, outputs: run.record.jobs[need]!.outputs }]));
  }

  /** The job's `if:` (success() by default) over the results of its ancestors. */
  private jobCondition(run: RunState, state: JobState): boolean {
    const ancestors = ancestorsOf(run.workflow, state.job.id).map((id) => run.record.jobs[id]!.result);
    const scope: Scope = {
      contexts: { github: this.githubContext(run, state.job.id), needs: this.needsContext(run, state.job), vars: run.vars, inputs: run.inputs },
      status: {
        success: () => !run.cancelled && ancestors.every((result) => result === 'success'),
        failure: () => ancestors.includes('failure'),
        cancelled: () => run.cancelled,
      },
    };
    return truthy(evaluate(state.job.if, scope, `${state.job.where}.if`));
  }

  private async executeJob(run: RunState, state: JobState): Promise<void> {
    const { job, record } = state;
    await Promise.all(job.needs.map((need) => run.jobs.get(need)!.done.promise));
    let runs: boolean;
    try {
      runs = this.jobCondition(run, state);
    } catch (error) {
      return this.finishJob(run, state, 'failure', (error as Error).message);
    }
    if (!runs) return this.finishJob(run, state, run.cancelled ? 'cancelled' : 'skipped', run.cancelled ? run.record.cancelReason : 'if: evaluated to false');
    const scope: Scope = { contexts: { github: this.githubContext(run, job.id), needs: this.needsContext(run, job), vars: run.vars, inputs: run.inputs } };
    try {
      if (job.name) record.name = text(job.name, scope);
      if (job.concurrency) {
        const group = text(job.concurrency.group, scope);
        const cancelInProgress =
          typeof job.concurrency.cancelInProgress === 'boolean'
            ? job.concurrency.cancelInProgress
            : truthy(evaluateTemplate(job.concurrency.cancelInProgress.parts, scope, 'concurrency.cancel-in-progress'));
        record.concurrencyGroup = group;
        const got = await this.acquire(state.holder, group, cancelInProgress, () => {});
        if ('cancel' in got) return this.finishJob(run, state, 'cancelled', got.cancel);
      }
      let environment: EnvironmentSetup = {};
      if (job.environment) {
        const name = text(job.environment.name, scope);
        record.environment = name;
        environment = this.options.environments?.[name] ?? {};
        if (environment.approve) {
          const decision = await this.review(run, state, name, environment.approve);
          if ('cancel' in decision) return this.finishJob(run, state, 'cancelled', decision.cancel);
          if (!('start' in decision)) return this.finishJob(run, state, 'failure', decision.rejected);
        }
      }
      if (run.cancelled && !this.jobCondition(run, state)) return this.finishJob(run, state, 'cancelled', run.record.cancelReason);
      await this.runJob(run, state, environment);
    } catch (error) {
      this.finishJob(run, state, 'failure', (error as Error).message);
      throw error;
    } finally {
      this.release(state.holder);
    }
  }

  private async review(run: RunState, state: JobState, environment: string, approve: ApprovalHook): Promise<Wait | { rejected: string }> {
    const { record } = state;
    record.status = 'pending';
    this.note({ kind: 'approval-requested', run: run.record.id, workflow: run.workflow.id, job: record.id, detail: `environment ${environment}` });
    const waiting = new Deferred<Wait>();
    state.waiting = waiting;
    const decided = Promise.resolve(approve({ workflow: run.workflow.id, run: run.record.id, job: record.id, environment, sha: run.facts.sha }));
    const outcome = await Promise.race([decided.then((decision) => ({ decision })), waiting.promise]);
    state.waiting = undefined;
    if ('cancel' in outcome) return outcome;
    if ('start' in outcome) return outcome;
    if (outcome.decision !== 'approve' && outcome.decision !== 'reject')
      throw new Error(`approval hook for ${environment}: expected 'approve' or 'reject', got ${JSON.stringify(outcome.decision)}`);
    record.approval = outcome.decision === 'approve' ? 'approved' : 'rejected';
    this.note({
      kind: 'approval-decided',
      run: run.record.id,
      workflow: run.workflow.id,
      job: record.id,
      result: record.approval,
      detail: `environment ${environment}`,
    });
    return outcome.decision === 'approve' ? { start: true } : { rejected: `the deployment to ${environment} was rejected` };
  }

  private async runJob(run: RunState, state: JobState, environment: EnvironmentSetup): Promise<void> {
    const { job, record } = state;
    const dir = join(this.dir, `${run.record.id}-${job.id}`);
    const secrets = this.secretsContext(run, run.facts.fork ? {} : (environment.secrets ?? {}));
    record.secrets = Object.keys(secrets).filter((name) => name !== 'GITHUB_TOKEN');
    const vars = { ...run.vars, ...(run.facts.fork ? {} : environment.vars) };
    const workspace = join(dir, 'workspace');
    const runner = {
      name: 'cutover-simulator',
      os: 'Linux',
      arch: 'X64',
      temp: join(dir, 'temp'),
      tool_cache: join(dir, 'tool-cache'),
      environment: 'self-hosted',
      debug: '',
    };
    const contexts: JobContexts = {
      github: { ...this.githubContext(run, job.id, workspace), event_path: join(dir, 'event.json') },
      needs: this.needsContext(run, job),
      inputs: run.inputs,
      vars,
      secrets,
      runner,
      env: run.env,
    };
    const runnerEnv = this.runnerEnv(run, job.id, dir, workspace);
    const runnerJob = new JobRun(run.workflow, job, record, contexts, {
      dir,
      grace: this.grace,
      standIns: this.options.actions ?? {},
      overrides: Object.fromEntries(
        Object.entries(this.options.overrides ?? {}).flatMap(([key, inputs]) =>
          key.startsWith(`${run.workflow.id}/`) ? [[key.slice(run.workflow.id.length + 1), inputs]] : [],
        ),
      ),
      baseEnv: Object.fromEntries(Object.entries(inheritedEnvironment()).filter(([key]) => !/^(VITEST|__VITEST|NODE_ENV$|TEST$)/.test(key))),
      runnerEnv,
      event: run.facts.payload,
      steps: run.record.steps,
      // Each step its own token, with the job's rights: the stand-in records who made each request.
      ...(this.options.github ? { tokenFor: (caller: string) => this.options.github!.tokenFor(caller, { readOnly: Boolean(run.facts.fork) }) } : {}),
      timeline: (entry) => this.note({ ...entry, run: run.record.id, workflow: run.workflow.id, job: job.id }),
      onStep: this.options.onStep ? (step) => this.options.onStep!(step, run.record) : undefined,
      log: (line) => this.options.log?.(line),
    });
    state.runner = runnerJob;
    record.workspace = workspace;
    record.status = 'in_progress';
    this.note({ kind: 'job-started', run: run.record.id, workflow: run.workflow.id, job: job.id });
    this.checkRun(run, state, 'in_progress');
    let minutes = 360;
    if (job.timeoutMinutes !== undefined) {
      minutes =
        typeof job.timeoutMinutes === 'number'
          ? job.timeoutMinutes
          : Number(text(job.timeoutMinutes, { contexts: { github: contexts.github, needs: contexts.needs, vars, inputs: run.inputs } }));
    }
    const timer = setTimeout(() => runnerJob.cancel(`The job has exceeded the maximum execution time of ${minutes} minutes`, true), minutes * 60_000);
    try {
      await runnerJob.run();
    } finally {
      clearTimeout(timer);
    }
    record.summary = record.steps.map((step) => step.result?.summary ?? '').join('');
    this.finishJob(run, state, runnerJob.result(), runnerJob.reason);
  }

  private runnerEnv(run: RunState, jobId: string, dir: string, workspace: string): Record<string, string> {
    const github = this.githubContext(run, jobId, workspace);
    const value = (key: string) => String(github[key] ?? '');
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: value('actor'),
      GITHUB_ACTOR_ID: value('actor_id'),
      GITHUB_API_URL: value('api_url'),
      GITHUB_BASE_REF: value('base_ref'),
      GITHUB_EVENT_NAME: value('event_name'),
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_GRAPHQL_URL: value('graphql_url'),
      GITHUB_HEAD_REF: value('head_ref'),
      GITHUB_JOB: jobId,
      GITHUB_REF: value('ref'),
      GITHUB_REF_NAME: value('ref_name'),
      GITHUB_REF_PROTECTED: 'false',
      GITHUB_REF_TYPE: value('ref_type'),
      GITHUB_REPOSITORY: value('repository'),
      GITHUB_REPOSITORY_ID: value('repository_id'),
      GITHUB_REPOSITORY_OWNER: value('repository_owner'),
      GITHUB_REPOSITORY_OWNER_ID: value('repository_owner_id'),
      GITHUB_RETENTION_DAYS: '90',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_ID: value('run_id'),
      GITHUB_RUN_NUMBER: value('run_number'),
      GITHUB_SERVER_URL: value('server_url'),
      GITHUB_SHA: value('sha'),
      GITHUB_TRIGGERING_ACTOR: value('triggering_actor'),
      GITHUB_WORKFLOW: value('workflow'),
      GITHUB_WORKFLOW_REF: value('workflow_ref'),
      GITHUB_WORKFLOW_SHA: value('workflow_sha'),
      GITHUB_WORKSPACE: workspace,
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_NAME: 'cutover-simulator',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: join(dir, 'temp'),
      RUNNER_TOOL_CACHE: join(dir, 'tool-cache'),
    };
  }

  private finishJob(run: RunState, state: JobState, result: JobResult, reason?: string, checkRun = true): void {
    const { record } = state;
    if (record.status === 'completed') return;
    record.result = result;
    if (reason && result !== 'success') record.reason = reason;
    record.status = 'completed';
    if (checkRun) this.checkRun(run, state, result);
    this.note({
      kind: 'job-finished',
      run: run.record.id,
      workflow: run.workflow.id,
      job: record.id,
      result,
      ...(record.reason ? { detail: record.reason } : {}),
    });
    state.done.resolve();
  }

  /** The job's check run on the commit, as GitHub shows each job (named after the job). */
  private checkRun(run: RunState, state: JobState, status: 'in_progress' | JobResult): void {
    const store = this.options.github?.store;
    if (!store) return;
    const request = { query: {}, rawBody: Buffer.alloc(0), headers: {}, store };
    const body = status === 'in_progress' ? { status: 'in_progress' } : { conclusion: status };
    if (state.checkRunId === undefined) {
      const created = createCheckRun({ ...request, params: {}, body: { name: state.record.name, head_sha: run.record.headSha, ...body } });
      state.checkRunId = (created.body as { id: number }).id;
    } else updateCheckRun({ ...request, params: { check_run_id: String(state.checkRunId) }, body });
  }

  // -------------------------------------------------------------------------------------------
  // Timeline, waiting, the end

  private note(entry: Omit<TimelineEntry, 'seq' | 'at'>): void {
    const full: TimelineEntry = { seq: this.timeline.length, at: Math.round(performance.now() - this.started), ...entry };
    this.timeline.push(full);
    // One line per entry, starting with the time: a reason quoting a process can never start a workflow command.
    this.options.log?.(`${String(full.at).padStart(6)}ms ${describeEntry(full).replace(/\r?\n/g, ' | ')}`);
    for (const watcher of [...this.watchers]) {
      if (!watcher.predicate(full)) continue;
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.found.resolve(full);
    }
  }

  /** The first timeline entry (past or to come) matching; rejected when the simulation settles without it. */
  when(predicate: (entry: TimelineEntry) => boolean, what = 'the awaited entry'): Promise<TimelineEntry> {
    const past = this.timeline.find(predicate);
    if (past) return Promise.resolve(past);
    const found = new Deferred<TimelineEntry>();
    this.watchers.push({ predicate, found, what });
    if (this.active.size === 0) this.idle();
    return found.promise;
  }

  /** Resolves when no run is left (runs started meanwhile included); rejects with the simulator's own failures. */
  async settled(): Promise<this> {
    while (this.active.size) await Promise.all([...this.active]);
    if (this.failures.length) throw new AggregateError(this.failures, `the simulation failed: ${this.failures.map((error) => error.message).join('; ')}`);
    return this;
  }

  /** The `index`-th run (0 first) of a workflow, by id (`deliver`). */
  run(workflow: string, index = 0): RunRecord {
    const runs = this.runs.filter((run) => run.workflow === workflow);
    const found = runs[index];
    if (!found) throw new Error(`no run ${index} of ${workflow} (runs: ${this.runs.map((run) => `${run.workflow}#${run.id}`).join(', ') || 'none'})`);
    return found;
  }

  /** The timeline, one line per entry. */
  describe(): string[] {
    return this.timeline.map(describeEntry);
  }

  /** Removes the runs' directories (workspaces, reports); stops listening to the stand-in. */
  async dispose(): Promise<void> {
    await this.settled().catch(() => {});
    const listeners = this.options.github?.store.dispatchListeners;
    if (listeners?.includes(this.dispatchListener)) listeners.splice(listeners.indexOf(this.dispatchListener), 1);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function describeEvent(event: SimEvent): string {
  switch (event.name) {
    case 'push':
      return `push to ${event.ref} at ${event.sha.slice(0, 7)}`;
    case 'pull_request':
      return `pull_request ${event.action ?? 'opened'} #${event.number}${event.head.repo ? ` from ${event.head.repo}` : ''}`;
    case 'workflow_dispatch':
      return `workflow_dispatch of ${event.workflow}`;
    case 'schedule':
      return `schedule ${event.cron ?? ''}`.trim();
    case 'workflow_run':
      return `workflow_run ${event.action} of ${event.workflow} (${event.conclusion ?? event.status})`;
    case 'merge_group':
      return `merge_group ${event.headRef}`;
  }
}

/** Starts the workflows an event matches and waits until every run (chained ones included) is done. */
export async function simulate(event: SimEvent, options: SimulatorOptions): Promise<Simulator> {
  const simulator = new Simulator(options);
  simulator.trigger(event);
  return simulator.settled();
}

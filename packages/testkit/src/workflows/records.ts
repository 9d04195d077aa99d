/** What a simulation records: runs, jobs, steps as GitHub reports them, and the timeline. */
import type { WorkflowCommand } from '../workflow-commands.js';
import type { EventName } from './events.js';

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';
export type StepOutcome = 'success' | 'failure' | 'cancelled' | 'skipped';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

/** What one process (a `run:` step, an action's main or post) did. */
export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** GITHUB_ENV lines it wrote. */
  env: Record<string, string>;
  /** GITHUB_PATH lines it wrote. */
  path: string[];
  summary: string;
  commands: WorkflowCommand[];
  errors: string[];
  warnings: string[];
  notices: string[];
  /** Signals the runner sent it (cancellation, timeout). */
  signalsSent: NodeJS.Signals[];
  durationMs: number;
}

export interface StepRecord {
  workflow: string;
  run: number;
  job: string;
  /** `<job>.<id, name, uses or steps[i]>`. */
  key: string;
  index: number;
  uses?: string;
  /** One of this repository's actions (`canary-step`). */
  action?: string;
  /** Before continue-on-error. */
  outcome: StepOutcome;
  /** After continue-on-error: what the job saw. */
  conclusion: StepOutcome;
  /** The inputs it was given (evaluated, overrides applied, action.yml defaults not included). */
  inputs?: Record<string, string>;
  /** Its own `env:`, evaluated. */
  env?: Record<string, string>;
  /** The process of a `run:` step or of an action's main. */
  result?: StepResult;
  /**
   * The name its GitHub requests are recorded under in the stand-in (`gh.requests[].caller`), when
   * it ran with a stand-in: `<workflow>#<run>/<key>`; its post step's is `<caller> post`.
   */
  caller?: string;
  /** The action's post step, when it ran (at the end of the job). */
  post?: StepResult;
  postOutcome?: StepOutcome;
  /** Why it failed or was skipped, in a word or a sentence. */
  reason?: string;
}

export interface JobRecord {
  workflow: string;
  run: number;
  id: string;
  name: string;
  status: 'waiting' | 'pending' | 'in_progress' | 'completed';
  result?: JobResult;
  /** Why it failed, was skipped or cancelled (a deadlock, a rejected review, a timeout...). */
  reason?: string;
  outputs: Record<string, string>;
  steps: StepRecord[];
  environment?: string;
  approval?: 'approved' | 'rejected';
  concurrencyGroup?: string;
  /** The GITHUB_TOKEN it got: read-only for a pull request from a fork. */
  token: 'write' | 'read-only';
  /** Names of the secrets it could read. */
  secrets: string[];
  workspace?: string;
  summary: string;
}

export interface RunRecord {
  id: number;
  number: number;
  /** The workflow file's id (`deliver`). */
  workflow: string;
  /** The workflow's name (`name:`), which workflow_run filters name. */
  name: string;
  file: string;
  displayTitle: string;
  event: EventName;
  sha: string;
  ref: string;
  headSha: string;
  headBranch: string | null;
  status: 'queued' | 'pending' | 'in_progress' | 'completed';
  conclusion?: RunConclusion;
  cancelReason?: string;
  concurrencyGroup?: string;
  /** 1 for a run started by another event, n + 1 for one started by the workflow_run of a level-n run. */
  level: number;
  jobs: Record<string, JobRecord>;
  /** Every step of every job, in the order they finished or were skipped. */
  steps: StepRecord[];
  /** A step by key (`production.canary`); throws naming the keys when there is none. */
  step(key: string): StepRecord;
  job(id: string): JobRecord;
}

export type TimelineKind =
  | 'event'
  | 'workflow-requested'
  | 'workflow-pending'
  | 'workflow-started'
  | 'workflow-cancelling'
  | 'workflow-completed'
  | 'job-pending'
  | 'job-started'
  | 'job-finished'
  | 'step-started'
  | 'step-finished'
  | 'post-finished'
  | 'signal'
  | 'approval-requested'
  | 'approval-decided';

export interface TimelineEntry {
  /** Order of the entries (ties of `at` are ordered by it). */
  seq: number;
  /** Milliseconds since the simulation started. */
  at: number;
  kind: TimelineKind;
  run?: number;
  workflow?: string;
  job?: string;
  step?: string;
  /** A result, outcome, conclusion, decision or signal. */
  result?: string;
  detail?: string;
}

/** One line per entry, `workflow/job step: kind result (detail)`, to read or compare a timeline. */
export function describeEntry(entry: TimelineEntry): string {
  const who = [entry.workflow && `${entry.workflow}#${entry.run}`, entry.job, entry.step].filter(Boolean).join(' ');
  return `${who ? `${who}: ` : ''}${entry.kind}${entry.result ? ` ${entry.result}` : ''}${entry.detail ? ` (${entry.detail})` : ''}`;
}

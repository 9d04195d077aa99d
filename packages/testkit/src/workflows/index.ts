export { ConcurrencyGroups, type ConcurrencyDecision, type Holder } from './concurrency.js';
export {
  dispatchInputs,
  eventFacts,
  matchEvent,
  matchesPatterns,
  patternRegExp,
  type MergeGroupEvent,
  type PullRequestEvent,
  type PushEvent,
  type ScheduleEvent,
  type SimEvent,
  type WorkflowDispatchEvent,
  type WorkflowRunEvent,
} from './events.js';
export {
  evaluate,
  ExpressionError,
  parseCondition,
  parseExpression,
  parseTemplate,
  evaluateTemplate,
  toText,
  truthy,
  type Scope,
  type Value,
} from './expressions.js';
export { GITHUB_GRACE, type Grace } from './process.js';
export {
  describeEntry,
  type JobRecord,
  type JobResult,
  type RunRecord,
  type StepOutcome,
  type StepRecord,
  type StepResult,
  type TimelineEntry,
  type TimelineKind,
} from './records.js';
export {
  simulate,
  Simulator,
  type ApprovalDecision,
  type ApprovalHook,
  type ApprovalRequest,
  type EnvironmentSetup,
  type SimulatorOptions,
} from './simulator.js';
export { ALLOWED_ACTIONS, artifactsIn, checkoutFrom, setupNode, type ActionStandIn, type StandInResult, type StandInStep } from './standins.js';
export { jobsInOrder, loadWorkflow, parseWorkflow, WorkflowError, type Job, type Step, type Workflow } from './workflow.js';

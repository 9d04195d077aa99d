// The canary package: canary-step's main step (rollout) and post step, and the step texts rollback
// and the tests read.
export { post } from './post.js';
export { rollout } from './rollout.js';
export { abortReason, stepDescription, stepFigures } from './describe.js';
export { summaryMarkdown, type CanaryRun, type StepRecord } from './summary.js';

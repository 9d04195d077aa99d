export { chooseRoles } from './roles.js';
export { nextAction, type PlannedStep, planSteps, stepSettings, stepSplit } from './steps.js';
export { poolRef } from './pools.js';
export { abortReason, stepDescription } from './describe.js';
export { abortAlert } from './alert.js';
export { encodeRollout, type OnCancel, postAction, STATE } from './state.js';
export { type CanaryRun, type StepRecord, summaryMarkdown, title } from './summary.js';

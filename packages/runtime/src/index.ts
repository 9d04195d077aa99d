export { input, isPostStep, requiredInput, runMain, saveState } from './action.js';
export { childEnvironment, RUNNER_SECRET_VARIABLES, withholdFromChildren } from './child-env.js';
export { httpFetch, proxySettings } from './http.js';
export { commonJsExports } from './modules.js';
export { outside } from './outside.js';
export { type DryRunPlan, planLines, planMarkdown, type PlannedTransition, reportPlan } from './plan.js';
export { readCommand, type ReadCommandOptions } from './read-command.js';
export { runShellCommand, shellArgv, type ShellOptions } from './shell.js';
export { markdownTable, mermaidXyChart } from './summary.js';

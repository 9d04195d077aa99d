export { configInput, environmentFromInputs, input, requiredInput, runMain } from './action.js';
export { runShellCommand, shellArgv, type ShellOptions } from './shell.js';
export { markdownTable, mermaidXyChart } from './summary.js';

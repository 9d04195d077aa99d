export * from './action.js';
export { runShellCommand, shellArgv, type ShellOptions } from './shell.js';
export * from './summary.js';

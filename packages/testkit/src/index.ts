export * from './node24.js';
export * from './run-action.js';
export * from './workflow-commands.js';
export * from './servers/index.js';
export * from './github/index.js';

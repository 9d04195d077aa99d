export { ConfigError, type ConfigProblem, DEFAULT_CONFIG_PATH, formatProblem, selectEnvironment } from './file.js';
export { ENVIRONMENT_KINDS } from './kinds.js';
export { alertVariables, environmentFileSchema, loadEnvironment, loadEnvironmentFile, parseEnvironmentFile } from './load.js';
export { configInput, environmentFromInputs } from './inputs.js';

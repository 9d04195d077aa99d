export { ConfigError, DEFAULT_CONFIG_PATH, selectEnvironment } from './file.js';
export { ENVIRONMENT_KINDS } from './kinds.js';
export { alertVariables, environmentFileSchema, loadEnvironment, loadEnvironmentFile, parseEnvironmentFile } from './load.js';
export { configInput, environmentFromInputs } from './inputs.js';

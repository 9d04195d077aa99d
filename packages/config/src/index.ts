export { errorMessage } from './errors.js';
export { formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export { checkWeights, InputError, parseBoolean, parseChoice, parseDurationInput, parseGlobs, parseRate, parseWeights } from './inputs.js';
export { alertVariables, ConfigError, DEFAULT_CONFIG_PATH, loadEnvironment, loadEnvironmentFile, parseEnvironmentFile, symlinkHost } from './environment.js';
export { environmentFileSchema } from './schema.js';
export { checkFreeze, describeFreeze, freezeSchema, freezeVerdict, frozenAt, isoTime, knownTimeZone, WEEK_DAYS, type AbsoluteFreeze, type FreezeWindow, type Frozen, type FreezeVerdict, type WeekDay, type WeeklyFreeze } from './freeze.js';
export { formatSplit, idlePools, livePool, sameSplit, validateSplit } from './split.js';
export type { AlertConfig, CheckConfig, CommandCheckConfig, CommandRouterConfig, Environment, HaproxyRouterConfig, HttpCheckConfig, NamedEnvironment, NginxRouterConfig, PrometheusCheckConfig, RouterKind, Split, SshTarget, SymlinkHost, SymlinkRouterConfig, TrafficCheckConfig } from './types.js';
export type { LoggedRequest, ServerTraffic, TrafficReader } from './traffic.js';

export { errorMessage } from './errors.js';
export { DURATION_PATTERN, formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export {
  checkWeights,
  InputError,
  parseBoolean,
  parseChoice,
  parseDurationInput,
  parseEnvironmentNames,
  parseGlobs,
  parseRate,
  parseWeights,
  RATE_PATTERN,
} from './inputs.js';
export {
  address,
  ADDRESS_PATTERN,
  HOST_PORT,
  argv,
  duration,
  envName,
  NAME_PATTERN,
  PATH_PATTERN,
  rate,
  SAFE_NAME_PATTERN,
  ssh,
  validUrl,
  type Rate,
} from './fragments.js';
export type { EnvironmentKinds, KindFieldsSchema, KindSchema, Problem } from './kinds.js';
export {
  checkFreeze,
  describeFreeze,
  freezeSchema,
  freezeVerdict,
  frozenAt,
  isoTime,
  knownTimeZone,
  WEEK_DAYS,
  type AbsoluteFreeze,
  type FreezeWindow,
  type Frozen,
  type FreezeVerdict,
  type WeekDay,
  type WeeklyFreeze,
} from './freeze.js';
export { compileValidator, schemaKeywords, type SchemaValidator, standaloneValidatorCode, VALIDATOR_OPTIONS, withoutAnnotations } from './validator.js';
export { formatSplit, idlePools, livePool, poolAddressesOf, sameSplit, validateSplit } from './split.js';
export type { AlertConfig, CheckConfig, Environment, EnvironmentFile, NamedEnvironment, RouterConfig, RouterInstance, Split, SshTarget } from './types.js';
export { instanceName, mergeInstance, routerInstances } from './instances.js';
export type { LoggedRequest, ServerTraffic, TrafficReader } from './traffic.js';

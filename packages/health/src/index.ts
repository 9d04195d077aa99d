// The health package's public face: checks (sources), the watch, the smoke check, the report.
export type { Check, LookContext, PoolLook, RequestLimits, RequestOutcome, SampleRole } from './check.js';
export { describeError, fillTemplate } from './check.js';
export { manualClock, systemClock, type Clock } from './clock.js';
export { round } from './limits.js';
export { createCheck, createChecks, parseCheckNames } from './sources/create.js';
export type { CheckEdges, CheckProvider } from './sources/kind.js';
export { CHECK_KINDS } from './sources/registry.js';
export { DEFAULT_MAX_ERROR_RATE, HTTP_DEFAULT_MAX_RATE, httpCheck, type HttpCheckConfig } from './sources/http.js';
export { prometheusCheck, type PrometheusCheckConfig, readQueryBody } from './sources/prometheus.js';
export { commandCheck, type CommandCheckConfig, printedNumber } from './sources/command.js';
export { trafficCheck, type TrafficCheckConfig } from './sources/traffic.js';
export { smokeCheck, describeProblem, type SmokeResult, type SmokeCheckResult } from './smoke.js';
export { defaultDeadline, describePlans, probePlans, watch, watchSettings, WATCH_DEFAULTS, type Verdict, type WatchOptions } from './watch.js';
export {
  buildReport,
  lookFigures,
  type CheckReport,
  type Comparison,
  type IntervalCheck,
  type IntervalRecord,
  type PoolRef,
  type RequestFigures,
  type WatchReport,
  type WatchSettings,
} from './report.js';
export { writeWatchReport } from './report-file.js';
export type { Decision } from './judge/decide.js';
export { cleanNeed, detectable, looksWithin, planProbes, type ProbePlan } from './judge/plan.js';
export { bernoulli, logWealth, lowerBound, rejects, upperBound, STAKES, type Range, type Side, type Tally } from './judge/betting.js';
export { quantile, median } from './judge/stats.js';
export { watchTuning, type WatchTuning } from './tuning.js';

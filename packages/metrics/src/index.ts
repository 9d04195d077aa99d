export { BAND_RULES, DORA_SOURCE, failureRateBand, frequencyBand, leadTimeBand, restoreBand, type Band } from './bands.js';
export { describeFigures, figureOutputs, type FigureKey, type FigureText } from './describe.js';
export { changeFailureRate, findFailures, type Failure, type FailureRateFigure } from './failures.js';
export { formatFrequency, formatRate, formatSeconds, outputNumber } from './format.js';
export { deploymentFrequency, type FrequencyFigure } from './frequency.js';
export { GitHubReader, GITHUB_MIN_INTERVAL_MS, PAGES_ENVIRONMENT, PER_PAGE, REQUEST_TIMEOUT_MS, type ReaderOptions } from './github.js';
export {
  deploymentFacts,
  findShippedPullRequests,
  isChange,
  MAX_SHIPPED_COMMITS,
  mergedPullRequests,
  previousSuccess,
  rolledBackDeployment,
  ROLLBACK_TASK,
  shippedRange,
  type AssociatedPull,
  type DeploymentFacts,
  type Shipped,
  type ShippedPull,
  type ShippedRange,
  type ShippedSource,
} from '@cutover/github';
export { incidentFacts, type IncidentFacts, type IncidentIssue } from './incidents.js';
export { parseMetricsInputs, type MetricsInputs } from './inputs.js';
export {
  leadTime,
  leadTimePlan,
  needsCompare,
  type Compared,
  type DeploymentLeadTime,
  type LeadTimeFigure,
  type PlannedCompare,
  type ShippedCommit,
} from './lead-time.js';
export { renderPage } from './page.js';
export { buildReport, figuresOf, type Figures, type GitHubUse, type MetricsReport, type ReportInput, type WeekRow } from './report.js';
export { timeToRestore, type Restoration, type RestoreFigure, type StartSource } from './restore.js';
export { runDeliveryMetrics, safeLine, type RunOptions, type RunResult } from './run.js';
export { median, quantile } from './stats.js';
export { summaryMarkdown } from './summary.js';
export { escapeHtml } from './svg.js';
export { DAY_MS, inWindow, parseWindow, windowDays, type Window } from './window.js';

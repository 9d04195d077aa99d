export { type RollbackTarget, RollbackTargetError, selectPoolTarget, selectRollbackTarget, shadowedByPool } from './target.js';
export { buildTimeline, UNKNOWN_WITHOUT_TOKEN } from './timeline.js';
export { type DeploymentRef, INCIDENT_LABEL, type IncidentFacts, incidentMarker, incidentTitle, renderIncidentBody, renderRepeatComment, renderUnopenedIncident, type RunLink, type SuspectCommit } from './body.js';
export { type CommitPull, commitsToExamine, suspectCommits } from './commits.js';
export { describeStale, missingReleases, restoreSplit, servingPools, versionFromBody, versionMismatches, type VersionObservation } from './restore.js';
export { readReportFacts, type ReportFacts } from './report.js';
export { localSplit, localTarget, type LocalTarget, poolNamed, poolRunning } from './local-target.js';

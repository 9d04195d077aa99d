export { createGitHubClient, type GitHubClient, recordsSkipped, spacesWrites } from './client.js';
export { repoContext, type RepoContext } from './context.js';
export {
  COMMENTS_PER_PAGE,
  createIssueComment,
  findIssueComment,
  MAX_COMMENT_PAGES,
  trustedComment,
  updateIssueComment,
  type CommentAuthor,
  type FoundComment,
  type IssueComment,
} from './comments.js';
export { type Annotation, type CheckConclusion, type CheckRunInput, createCheckRun, type RepoRef, updateCheckRun } from './checks.js';
export { createDeployment, type DeploymentState, listDeploymentsWithStatuses, setDeploymentStatus, shortDescription } from './deployments.js';
export { deploymentFacts, isChange, oldestFirst, previousSuccess, rolledBackDeployment, ROLLBACK_TASK, type DeploymentFacts } from './history.js';
export { type IssueRecord, openOrComment } from './issues.js';
export {
  chronological,
  deploymentPayload,
  endedFailed,
  everSucceeded,
  firstSuccess,
  latestStatus,
  newestFirst,
  PAYLOAD_VERSION,
  readDeploymentPayload,
  type BlueGreenPayload,
  type CanaryPayload,
  type CutoverPayload,
  type CutoverPayloadInput,
  type DeploymentRecord,
  type DeploymentStatusRecord,
  type RollbackPayload,
  type WrittenPayload,
} from './record.js';
export { checkRunsForRef } from './check-runs.js';
export { getPullRequest, openPullRequests, pullRequestFiles } from './pulls.js';
export { branchRules, unrequiredChecks } from './rules.js';
export {
  findShippedPullRequests,
  MAX_SHIPPED_COMMITS,
  mergedPullRequests,
  pullRequestsBetween,
  shippedRange,
  type AssociatedPull,
  type Shipped,
  type ShippedPull,
  type ShippedRange,
  type ShippedSource,
} from './shipped.js';
export {
  applyShippedEvent,
  mergeShippedComment,
  parseShippedComment,
  plainText,
  renderShippedComment,
  SHIPPED_END_MARKER,
  SHIPPED_MARKER,
  type MergedShippedComment,
  type ParsedShippedComment,
  type ShippedEntry,
  type ShippedEvent,
} from './shipped-comment.js';
export {
  commentRolledBackPullRequests,
  commentShippedPullRequests,
  type CommentOptions,
  type CommentTally,
  type RolledBackRelease,
  type ShippedDeployment,
} from './shipped-comments.js';
export { setCommitStatus } from './statuses.js';
export {
  describeParty,
  emptyLock,
  EnvironmentLock,
  handBackLock,
  LOCK_FILE,
  lockBranch,
  lockParty,
  lockPollDelayMs,
  LockTimeoutError,
  nextLockStep,
  parseLock,
  preemptLock,
  releaseLock,
  releaseSavedLock,
  serializeLock,
  type Acquired,
  type AcquireOptions,
  type LockParty,
  type LockSnapshot,
  type LockState,
  type LockStep,
  type LockWaiter,
  type Preemption,
} from './lock.js';
export {
  DEFAULT_LOCK_TIMEOUT,
  LOCK_CALL_TIMEOUT_MS,
  postReleaseLock,
  startPreemption,
  takeEnvironmentLock,
  whoMovedTraffic,
  type Preempting,
  type TakenLock,
} from './lock-steps.js';

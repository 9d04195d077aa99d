export { startGitHubStandIn, type GitHubStandIn, type RecordedRequest, type StandInOptions } from './server.js';
export { GitHubStore, fakeSha, type BranchRuleSeed, type CompareSeed, type FileSeed, type PullSeed, type StoredAsset, type WorkflowDispatch } from './store.js';
export type { CommitSeed } from './shapes.js';

export { buildCandidate } from './build.js';
export { parseCandidateInputs } from './inputs.js';
export { type CandidateManifest, parseManifest } from './manifest.js';
export { promoteRelease } from './releases.js';
export { candidateSummary } from './summary.js';
export { extractCandidate, verifyCandidate } from './verify.js';

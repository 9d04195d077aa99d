// The candidate package: build-candidate's run and inputs, and the manifest and verification blue-green-switch uses.
export { parseCandidateInputs } from './inputs.js';
export { type CandidateManifest, parseManifest } from './manifest.js';
export { run } from './run.js';
export { extractCandidate, verifyCandidate } from './verify.js';

/** build-candidate: one reproducible release candidate (archive, manifest, digest) from a green commit, built once; or promoted. */
import { parseCandidateInputs, run } from '@cutover/candidate';
import { input, runMain } from '@cutover/runtime';

await runMain(() => run(parseCandidateInputs(input)));

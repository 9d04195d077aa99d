/** test-gate: run the tests, read their JUnit XML, report a check run with annotations, stop the line while the default branch is red. */
import { readGateInputs, run } from '@cutover/gate';
import { runMain } from '@cutover/runtime';

await runMain(() => run(readGateInputs()));

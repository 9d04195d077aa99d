/** rollback: traffic back on the last good deployment (or where `to` says), then the records, the incident and the alerts. */
import { post, readRollbackInputs, run } from '@cutover/rollback';
import { isPostStep, runMain } from '@cutover/runtime';

// One bundle for the main step and its post step (action.yml: post, post-if: always()), which lets go of the lock.
await runMain(isPostStep() ? post : () => run(readRollbackInputs()));

/** rollback: traffic back on the last good deployment (or where `to` says), then the records, the incident and the alerts. */
import { readRollbackInputs, run } from '@cutover/rollback';
import { runMain } from '@cutover/runtime';

await runMain(() => run(readRollbackInputs()));

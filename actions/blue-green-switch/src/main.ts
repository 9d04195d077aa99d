/** blue-green-switch: smoke-check the idle pool, move all traffic to it, verify, then record the deployment. */
import { readSwitchInputs, run } from '@cutover/blue-green';
import { runMain } from '@cutover/runtime';

await runMain(() => run(readSwitchInputs()));

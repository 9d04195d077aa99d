/** blue-green-switch: smoke-check the idle pool, move all traffic to it, verify, then record the deployment. */
import { post, readSwitchInputs, run } from '@cutover/blue-green';
import { isPostStep, runMain } from '@cutover/runtime';

// One bundle for the main step and its post step (action.yml: post, post-if: always()), which lets go of the lock.
await runMain(isPostStep() ? post : () => run(readSwitchInputs()));

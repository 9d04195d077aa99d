/** canary-step: one bundle for the main step and its post step (action.yml: post, post-if: always()). */
import { isPostStep, post, rollout } from '@cutover/canary';
import { runMain } from '@cutover/runtime';

await runMain(isPostStep() ? post : rollout);

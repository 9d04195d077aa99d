/** canary-step: one bundle for the main step and its post step (action.yml: post, post-if: always()). */
import { post, rollout } from '@cutover/canary';
import { isPostStep, runMain } from '@cutover/runtime';

await runMain(isPostStep() ? post : rollout);

/** canary-step: one bundle for the main step and its post step (action.yml: post, post-if: always()). */
import * as core from '@actions/core';
import { STATE } from '@cutover/canary';
import { runMain } from '@cutover/runtime';
import { post } from './post.js';
import { rollout } from './rollout.js';

// The runner gives the post step the main step's saved state: finding `started` is being the post step.
const isPost = core.getState(STATE.started) === 'true';
if (!isPost) core.saveState(STATE.started, 'true');
await runMain(isPost ? post : rollout);

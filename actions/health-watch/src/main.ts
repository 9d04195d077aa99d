/** health-watch: watch a pool's health and business metrics (against a baseline when given), decide, report, alert. */
import { runMain } from '@cutover/runtime';
import { readWatchInputs, run } from '@cutover/watch';

await runMain(() => run(readWatchInputs()));

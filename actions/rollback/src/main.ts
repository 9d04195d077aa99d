import { runMain } from '@cutover/runtime';
import { rollback } from './rollback.js';

await runMain(rollback);

// Runs every test (unit, then end-to-end against real servers) with Vitest, and ends with the
// totals on a line of their own: "N passed, N failed, N skipped". Extra arguments go to Vitest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const report = join('test-results', 'vitest.json');
mkdirSync('test-results', { recursive: true });
rmSync(report, { force: true });
const vitest = join('node_modules', '.bin', 'vitest');
const run = spawnSync(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

let totals;
try {
  totals = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.log(`Vitest wrote no report (exit ${run.status ?? run.signal}).`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const skipped = totals.numPendingTests + totals.numTodoTests;
console.log(`\n${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${skipped} skipped`);
// A suite that fails to load counts no failed test; the exit code still says so.
process.exit(run.status === 0 && totals.numFailedTests === 0 && totals.success !== false ? 0 : 1);

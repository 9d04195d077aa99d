// Cold start and size of every bundle: `node dist/<name>/index.js` under Node 24 until it exits
// (with no inputs each action stops at its first check), median of several starts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24, repoRoot } from '@cutover/testkit';
import { quantile } from './_shared.js';

export async function run(): Promise<object> {
  const rows: { action: string; sizeKiB: number; coldStartMs: number }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-bundles-'));
  for (const action of readdirSync(join(repoRoot, 'dist')).sort()) {
    const bundle = join(repoRoot, 'dist', action, 'index.js');
    const times: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const output = join(dir, `out-${action}-${attempt}`);
      writeFileSync(output, '');
      const started = process.hrtime.bigint();
      spawnSync(node24(), [bundle], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: output, RUNNER_TEMP: dir }, stdio: 'ignore' });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    rows.push({ action, sizeKiB: Math.round(statSync(bundle).size / 1024), coldStartMs: Math.round(quantile(times, 0.5)) });
  }
  console.table(rows);
  return { rows };
}

/** Writes a watch report where the job's later steps can read it (rollback's `report` input). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchReport } from './report.js';

/** Writes `report` as JSON into RUNNER_TEMP (or `dir`), with `label` as its source; returns the file's path. */
export function writeWatchReport(environment: string, report: WatchReport, label = 'health-watch', dir = process.env.RUNNER_TEMP || process.cwd()): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${label}-${environment}-${Date.now()}.json`);
  writeFileSync(path, `${JSON.stringify({ source: label, environment, ...report }, null, 2)}\n`);
  return path;
}

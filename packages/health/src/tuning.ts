/** The watch's tuning from an environment's `health` settings, checked and named. */
import { parseRate, type NamedEnvironment } from '@cutover/config';
import type { WatchOptions } from './watch.js';

export type WatchTuning = Pick<WatchOptions, 'minSamples' | 'failureLimit' | 'confidence' | 'errorTolerance' | 'latencyTolerance'>;

export function watchTuning(environment: NamedEnvironment): WatchTuning {
  const health = environment.health ?? {};
  const at = `environments.${environment.name}.health`;
  const tuning: WatchTuning = {};
  if (health['min-samples'] !== undefined) tuning.minSamples = health['min-samples'];
  if (health['failure-limit'] !== undefined) tuning.failureLimit = health['failure-limit'];
  if (health.confidence !== undefined) tuning.confidence = health.confidence;
  if (health['error-tolerance'] !== undefined) tuning.errorTolerance = parseRate(health['error-tolerance'], `${at}.error-tolerance`);
  if (health['latency-tolerance'] !== undefined) tuning.latencyTolerance = parseRate(health['latency-tolerance'], `${at}.latency-tolerance`, 10);
  return tuning;
}

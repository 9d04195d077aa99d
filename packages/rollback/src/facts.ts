/** What every rollback path starts from: everything read and checked before anything changes. */
import * as core from '@actions/core';
import type { Alert } from '@cutover/alerts';
import type { NamedEnvironment } from '@cutover/config';
import type { ReportFacts } from './incident/report.js';
import type { RollbackInputs } from './inputs.js';

export interface RollbackRun {
  inputs: RollbackInputs;
  environment: NamedEnvironment;
  report?: ReportFacts;
  alerts: Alert[];
  /** The process start, ISO: the incident's "Rollback started". */
  startedAt: string;
  /** The environment's lock, taken beside the traffic move: the summary's line once settled. */
  lock?: Promise<string>;
  /** Called by a resolver right before it moves traffic (not awaited): rollback takes the lock then. */
  moving?: () => void;
  /** Where its outputs go when it is one of several environments (each.ts); else the step's outputs. */
  output?: (name: string, value: string) => void;
}

/** Sets one of the step's outputs, or hands it to the rollback of several environments that gathers them. */
export function setOutput(run: RollbackRun, name: string, value: string): void {
  if (run.output) run.output(name, value);
  else core.setOutput(name, value);
}

/** The reason recorded everywhere: the input's, else the health-watch report's. */
export function reasonOf(run: RollbackRun): string | undefined {
  return run.inputs.reason ?? run.report?.reason;
}

/** Logs when traffic was back, measured from the process start (what the bench measures too). */
export function restoredAfter(): number {
  return Math.round(performance.now());
}

/** The line every resolver logs once traffic is back, or, in a dry run, where it would go. */
export function restoredLine(run: RollbackRun, restored: string): string {
  return run.inputs.dryRun ? `Dry run: ${restored}.` : `Traffic restored ${restoredAfter()} ms after the process started: ${restored}.`;
}

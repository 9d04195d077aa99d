/** The canary's steps: from the inputs or the environment, resumed after the weight found, rounded to hosts. Pure. */
import { checkWeights, InputError, parseDuration, parseDurationInput, parseWeights, type NamedEnvironment } from '@cutover/config';
import type { Verdict } from '@cutover/health';
import { sharesToSplit } from '@cutover/routers';

export const DEFAULT_STEPS = [5, 25, 50, 100];
export const DEFAULT_STEP_DURATION = '1m';

export interface StepSettings {
  weights: number[];
  /** Where the weights came from, for the summary: "steps input" or the config path. */
  source: string;
  stepDuration: number;
}

/**
 * `steps` (may stop below 100: a manual gate) and `step-duration` inputs, else the environment's
 * `canary.steps` and `canary.step-duration`, else 5,25,50,100 every minute.
 */
export function stepSettings(environment: NamedEnvironment, inputs: { steps: string; stepDuration: string }): StepSettings {
  const at = `environments.${environment.name}.canary`;
  const configured = environment.canary ?? {};
  const fromInput = inputs.steps.trim() !== '';
  const weights = fromInput ? parseWeights(inputs.steps, 'steps', { allowPartial: true }) : checkWeights(configured.steps ?? DEFAULT_STEPS, `${at}.steps`);
  const stepDuration =
    parseDurationInput(inputs.stepDuration, 'step-duration') ?? parseDuration(configured['step-duration'] ?? DEFAULT_STEP_DURATION, `${at}.step-duration`);
  if (stepDuration <= 0) throw new InputError('step-duration: must be longer than 0');
  return { weights, source: fromInput ? 'steps input' : configured.steps ? `${at}.steps` : 'the default steps', stepDuration };
}

export interface PlannedStep {
  /** The canary's weight at this step, as the router will serve it. */
  weight: number;
  /** The weights asked for that this step stands for (several when rounding merged them). */
  requested: number[];
  /** Symlink: how many of the hosts run the canary at this step. */
  canaryHosts?: number;
  hosts?: number;
}

export interface StepPlan {
  steps: PlannedStep[];
  /** Steps at or below the weight found, skipped because an earlier run got there. */
  skipped: number[];
  /** Sentences for the summary (rounding to hosts). */
  notes: string[];
}

/**
 * The steps still to take after `current` (the canary's weight found on the router). With `hosts`
 * (symlink: a weight is a share of hosts), each weight is rounded to whole hosts, at least one and,
 * below 100, at most all but one, so that every step below 100 really compares the two releases;
 * steps that round to the same number of hosts are merged.
 */
export function planSteps(weights: readonly number[], current: number, hosts?: number): StepPlan {
  if (hosts !== undefined && hosts < 2)
    throw new InputError(`steps: a canary on ${hosts} host${hosts === 1 ? '' : 's'} cannot split traffic; it needs at least 2 hosts`);
  const steps: PlannedStep[] = [];
  const skipped: number[] = [];
  for (const requested of weights) {
    const step = hosts === undefined ? { weight: requested, requested: [requested] } : hostStep(requested, hosts);
    if (step.weight <= current) {
      skipped.push(requested);
      continue;
    }
    const last = steps.at(-1);
    if (last && last.weight === step.weight) last.requested.push(requested);
    else steps.push(step);
  }
  const notes = hosts === undefined ? [] : steps.filter((step) => step.requested.length > 1 || step.requested[0] !== step.weight).map(roundingNote);
  return { steps, skipped, notes };
}

function hostStep(requested: number, hosts: number): PlannedStep {
  const canaryHosts = requested >= 100 ? hosts : Math.min(hosts - 1, Math.max(1, Math.round((requested * hosts) / 100)));
  // The same arithmetic the symlink router reads a split back with: a release's share of hosts.
  const weight = sharesToSplit({ stable: hosts - canaryHosts, canary: canaryHosts }).canary!;
  return { weight, requested: [requested], canaryHosts, hosts };
}

function roundingNote(step: PlannedStep): string {
  const asked = step.requested.map((weight) => `${weight}%`).join(', ');
  return `${asked} → ${step.canaryHosts} of ${step.hosts} hosts (${step.weight}%): symlink releases move whole hosts`;
}

/** What follows a step's analysis. */
export type NextAction = 'advance' | 'promote' | 'pause' | 'abort';

/**
 * After a watched step: abort unless it was healthy; otherwise promote when the next step is 100,
 * advance to the next one, or pause when the steps end below 100 (a manual gate). Inconclusive
 * (not enough data by the deadline) aborts whatever `health.inconclusive` says: a canary is never
 * moved forward, let alone promoted, on no evidence.
 */
export function nextAction(verdict: Verdict, nextWeight: number | undefined): NextAction {
  if (verdict !== 'healthy') return 'abort';
  if (nextWeight === undefined) return 'pause';
  return nextWeight >= 100 ? 'promote' : 'advance';
}

/** The split of a step: the stable pool keeps the rest. */
export function stepSplit(stable: string, canary: string, weight: number): Record<string, number> {
  return weight >= 100 ? { [canary]: 100 } : { [stable]: 100 - weight, [canary]: weight };
}

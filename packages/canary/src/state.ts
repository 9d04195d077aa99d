/**
 * What the main step saves for its post step (the runner hands it back as STATE_* variables), and
 * what the post step does with it. Pure.
 */

/** State keys. `started` is saved first of all: a post step is the run that finds it. */
export const STATE = { started: 'started', rollout: 'rollout', deployment: 'deployment', finished: 'finished', split: 'split' } as const;

export type OnCancel = 'restore' | 'hold';

/** Saved just before the first change of traffic. */
export interface RolloutState {
  environment: string;
  config: string;
  workspace: string;
  stable: string;
  canary: string;
  onCancel: OnCancel;
}

export function encodeRollout(state: RolloutState): string {
  return JSON.stringify(state);
}

/** undefined when absent or unreadable (then the main step changed nothing the post step knows of). */
export function decodeRollout(text: string): RolloutState | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RolloutState>;
    const strings = ['environment', 'config', 'workspace', 'stable', 'canary'] as const;
    if (!strings.every((key) => typeof value[key] === 'string' && value[key] !== '')) return undefined;
    return { ...(value as RolloutState), onCancel: value.onCancel === 'hold' ? 'hold' : 'restore' };
  } catch {
    return undefined;
  }
}

export type PostAction = { action: 'nothing'; why: string } | { action: 'hold'; rollout: RolloutState } | { action: 'restore'; rollout: RolloutState };

/**
 * The post step restores the stable pool when the main step did not finish (cancelled, killed,
 * crashed) after it started moving traffic, unless `on-cancel: hold`.
 */
export function postAction(state: { rollout: string; finished: string }): PostAction {
  if (state.finished === 'true') return { action: 'nothing', why: 'the main step finished: traffic is where it left it' };
  const rollout = decodeRollout(state.rollout);
  if (!rollout) return { action: 'nothing', why: 'the main step ended before moving any traffic' };
  return rollout.onCancel === 'hold' ? { action: 'hold', rollout } : { action: 'restore', rollout };
}

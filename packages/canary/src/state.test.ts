import { describe, expect, it } from 'vitest';
import { decodeRollout, encodeRollout, postAction, type RolloutState } from './state.js';

const rollout: RolloutState = { environment: 'production', config: 'cutover.yml', workspace: '/w', stable: 'blue', canary: 'green', onCancel: 'restore' };

describe('the post step', () => {
  it('restores the stable pool when the main step moved traffic and did not finish', () => {
    expect(postAction({ rollout: encodeRollout(rollout), finished: '' })).toEqual({ action: 'restore', rollout });
  });

  it('holds the split with on-cancel: hold', () => {
    const hold = { ...rollout, onCancel: 'hold' as const };
    expect(postAction({ rollout: encodeRollout(hold), finished: '' })).toEqual({ action: 'hold', rollout: hold });
  });

  it('does nothing when the main step finished, or never moved traffic', () => {
    expect(postAction({ rollout: encodeRollout(rollout), finished: 'true' }).action).toBe('nothing');
    expect(postAction({ rollout: '', finished: '' })).toEqual({ action: 'nothing', why: 'the main step ended before moving any traffic' });
  });

  it('reads a damaged state as no state, and anything but hold as restore', () => {
    expect(decodeRollout('{not json')).toBeUndefined();
    expect(decodeRollout(JSON.stringify({ ...rollout, canary: '' }))).toBeUndefined();
    expect(decodeRollout(JSON.stringify({ ...rollout, onCancel: 'maybe' }))?.onCancel).toBe('restore');
  });
});

import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from './deployment.js';
import { readPayload } from './deployment.js';
import { RollbackTargetError, selectRollbackTarget } from './target.js';

let clock = Date.parse('2025-03-01T10:00:00Z');
function deployment(
  id: number,
  states: string[],
  payload: unknown = { version: `v${id}`, splitAfter: { blue: 100, green: 0 } },
  extra: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  const created = (clock += 60_000);
  return {
    id,
    environment: 'production',
    task: 'deploy',
    ref: `ref${id}`,
    sha: `sha${id}`,
    created_at: new Date(created).toISOString(),
    payload,
    // GitHub lists statuses newest first.
    statuses: states.map((state, index) => ({ state, created_at: new Date(created + index * 1000).toISOString() })).reverse(),
    ...extra,
  };
}

describe('selectRollbackTarget', () => {
  it('picks the newest earlier deployment that ever reached success, even if now inactive', () => {
    const history = [
      deployment(1, ['in_progress', 'success', 'inactive']),
      deployment(2, ['in_progress', 'success', 'inactive']),
      deployment(3, ['in_progress', 'failure']),
      deployment(4, ['in_progress', 'success', 'inactive'], undefined, { environment: 'staging' }),
      deployment(5, ['in_progress', 'success']),
    ];
    const chosen = selectRollbackTarget(history, 'production');
    expect(chosen.current.id).toBe(5);
    expect(chosen.bad.id).toBe(5);
    expect(chosen.target.id).toBe(2);
    expect(chosen.payload.version).toBe('v2');
    expect(chosen.passedOver).toEqual([{ id: 3, reason: expect.stringContaining('never reached success') }]);
    expect(chosen.repeated).toBe(false);
  });

  it('ignores input order and passes over deployments that succeeded then were marked failed', () => {
    const history = [
      deployment(10, ['success', 'inactive']),
      deployment(11, ['success', 'failure']),
      deployment(12, ['pending', 'in_progress']),
      deployment(13, ['success']),
    ];
    const chosen = selectRollbackTarget([...history].reverse(), 'production');
    expect(chosen.target.id).toBe(10);
    expect(chosen.passedOver.map(({ id }) => id)).toEqual([12, 11]);
  });

  it('passes over deployments whose payload records neither version nor split', () => {
    const history = [deployment(20, ['success', 'inactive']), deployment(21, ['success', 'inactive'], {}), deployment(22, ['success'])];
    expect(selectRollbackTarget(history, 'production').target.id).toBe(20);
  });

  it('reads payloads sent as JSON strings', () => {
    const history = [
      deployment(30, ['success', 'inactive'], JSON.stringify({ version: '1.2.0', splitAfter: { blue: 0, green: 100 } })),
      deployment(31, ['success']),
    ];
    const chosen = selectRollbackTarget(history, 'production');
    expect(chosen.payload).toEqual({ version: '1.2.0', splitAfter: { blue: 0, green: 100 } });
  });

  it('on a repeated rollback, rolls back the same bad deployment to the same target', () => {
    const history = [
      deployment(40, ['success', 'inactive']),
      deployment(41, ['success', 'failure']),
      deployment(42, ['success'], { version: 'v40', splitAfter: { blue: 100 }, rolledBackFrom: 41, rolledBackTo: 40 }, { task: 'rollback' }),
    ];
    const chosen = selectRollbackTarget(history, 'production');
    expect(chosen.current.id).toBe(42);
    expect(chosen.bad.id).toBe(41);
    expect(chosen.repeated).toBe(true);
    expect(chosen.target.id).toBe(40);
  });

  it('fails clearly when nothing earlier reached success', () => {
    const history = [deployment(50, ['failure']), deployment(51, ['success']), deployment(52, ['success'], undefined, { environment: 'staging' })];
    expect(() => selectRollbackTarget(history, 'production')).toThrow(RollbackTargetError);
    expect(() => selectRollbackTarget(history, 'production')).toThrow(/no deployment of "production" to roll back to.*50: never reached success/);
    expect(() => selectRollbackTarget([deployment(53, ['success'])], 'production')).toThrow(/it is the only one/);
    expect(() => selectRollbackTarget(history, 'qa')).toThrow(/environment "qa" has no deployments/);
  });

  describe('to', () => {
    const history = [
      deployment(60, ['success', 'inactive']),
      deployment(61, ['success', 'inactive']),
      deployment(62, ['failure']),
      deployment(63, ['success', 'inactive'], undefined, { environment: 'staging' }),
      deployment(64, ['success', 'inactive'], { version: 'v60', splitAfter: { green: 100 } }),
      deployment(65, ['success']),
    ];

    it('takes a deployment id', () => {
      expect(selectRollbackTarget(history, 'production', '60').target.id).toBe(60);
    });

    it('takes a version: the newest deployment of it', () => {
      const chosen = selectRollbackTarget(history, 'production', 'v60');
      expect(chosen.target.id).toBe(64);
      expect(chosen.payload.splitAfter).toEqual({ green: 100 });
    });

    it('refuses other environments, failed deployments, the current one and unknown values', () => {
      expect(() => selectRollbackTarget(history, 'production', '63')).toThrow(/to: deployment 63 is in environment "staging"/);
      expect(() => selectRollbackTarget(history, 'production', '62')).toThrow(/to: deployment 62 \(v62\) never reached success/);
      expect(() => selectRollbackTarget(history, 'production', 'v62')).toThrow(/to: version "v62" never reached success/);
      expect(() => selectRollbackTarget(history, 'production', '65')).toThrow(/to: deployment 65 is the one being rolled back/);
      expect(() => selectRollbackTarget(history, 'production', 'v9')).toThrow(/to: "v9" is neither.*v60, v61/);
    });
  });
});

describe('readPayload', () => {
  it('keeps the fields Cutover writes and drops the rest', () => {
    expect(readPayload({ version: 7, splitAfter: { a: 100 }, splitBefore: 'x', extra: 1 })).toEqual({ version: '7', splitAfter: { a: 100 } });
    expect(readPayload('not json')).toEqual({});
    expect(readPayload(null)).toEqual({});
  });
});

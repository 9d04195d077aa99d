import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '@cutover/github';
import { RollbackTargetError, selectPoolTarget, selectRollbackTarget, shadowedByPool } from './choose.js';

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
    expect(chosen.payload).toMatchObject({ version: '1.2.0', splitAfter: { blue: 0, green: 100 } });
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

describe('selectPoolTarget', () => {
  it('targets the newest good deployment that left all traffic on the pool', () => {
    const history = [
      deployment(11, ['success', 'inactive'], { version: 'v11', splitAfter: { blue: 0, green: 100 } }),
      deployment(12, ['success', 'inactive'], { version: 'v12', splitAfter: { blue: 0, green: 100 } }),
      // Marked failed since: not a good deployment to name as the target.
      deployment(13, ['success', 'failure'], { version: 'v13', splitAfter: { blue: 0, green: 100 } }),
      deployment(14, ['success', 'inactive'], { version: 'v14', splitAfter: { blue: 100, green: 0 } }),
      deployment(15, ['success'], { version: 'v15', splitAfter: { blue: 0, green: 100 } }),
    ];
    const chosen = selectPoolTarget(history, 'production', 'green');
    expect(chosen).toMatchObject({ pool: 'green', repeated: false, payload: { version: 'v12' } });
    expect([chosen.current?.id, chosen.bad?.id, chosen.target?.id]).toEqual([15, 15, 12]);
  });

  it('without such a deployment, or any history, still names the pool (the rollback is just recorded)', () => {
    const history = [deployment(21, ['success'], { version: 'v21', splitAfter: { blue: 100, green: 0 } })];
    expect(selectPoolTarget(history, 'production', 'green')).toMatchObject({ pool: 'green', bad: { id: 21 }, payload: {} });
    expect(selectPoolTarget(history, 'production', 'green').target).toBeUndefined();
    expect(selectPoolTarget([], 'production', 'green')).toEqual({ pool: 'green', repeated: false, payload: {} });
  });

  it('on a repeated rollback, the bad deployment is the one first rolled back', () => {
    const good = deployment(31, ['success', 'inactive'], { version: 'v31', splitAfter: { blue: 0, green: 100 } });
    const bad = deployment(32, ['success', 'failure'], { version: 'v32', splitAfter: { blue: 100, green: 0 } });
    const again = deployment(33, ['success'], { version: 'v31', splitAfter: { blue: 0, green: 100 }, rolledBackFrom: 32 }, { task: 'rollback' });
    const chosen = selectPoolTarget([good, bad, again], 'production', 'green');
    expect([chosen.bad?.id, chosen.target?.id, chosen.repeated]).toEqual([32, 31, true]);
  });
});

describe('shadowedByPool', () => {
  it('lists deployments whose id or version a pool name hides', () => {
    const history = [
      deployment(41, ['success'], { version: 'green', splitAfter: { blue: 100 } }),
      deployment(42, ['success'], { version: 'v42', splitAfter: { blue: 100 } }),
      deployment(43, ['success'], { version: 'v43', splitAfter: { blue: 100 } }, { environment: 'staging' }),
    ];
    expect(shadowedByPool(history, 'production', 'green').map((found) => found.id)).toEqual([41]);
    expect(shadowedByPool(history, 'production', '42').map((found) => found.id)).toEqual([42]);
    expect(shadowedByPool(history, 'production', '43')).toEqual([]);
    expect(shadowedByPool(history, 'production', 'blue')).toEqual([]);
  });
});

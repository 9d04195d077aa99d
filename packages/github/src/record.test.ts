import { describe, expect, it } from 'vitest';
import { deploymentPayload, PAYLOAD_VERSION, readDeploymentPayload } from './record.js';

describe('the deployment payload', () => {
  it('is written with its version and kind, undefined fields left out, and read back as written', () => {
    const written = deploymentPayload({
      kind: 'canary',
      version: 'v2',
      pools: { blue: ['10.0.0.1:80'], green: ['10.0.0.2:80'] },
      router: 'nginx',
      splitBefore: { blue: 100, green: 0 },
      splitAfter: { blue: 0, green: 100 },
      canary: 'green',
      stable: 'blue',
      steps: [25, 50, 100],
      resumable: true,
      freezeIgnored: undefined,
    });
    expect(written).toEqual({
      cutover: PAYLOAD_VERSION,
      kind: 'canary',
      version: 'v2',
      pools: { blue: ['10.0.0.1:80'], green: ['10.0.0.2:80'] },
      router: 'nginx',
      splitBefore: { blue: 100, green: 0 },
      splitAfter: { blue: 0, green: 100 },
      canary: 'green',
      stable: 'blue',
      steps: [25, 50, 100],
      resumable: true,
    });
    expect(readDeploymentPayload(JSON.stringify(written))).toEqual(written);
  });

  it('reads payloads written before versions, inferring their kind', () => {
    // As blue-green-switch, canary-step and rollback wrote them until payloads carried a version.
    const blueGreen = { version: '1.0.0', pools: { blue: ['a:1'] }, splitBefore: { blue: 0 }, splitAfter: { blue: 100 }, router: 'haproxy' };
    const canary = { canary: 'green', stable: 'blue', steps: [5, 100], splitAfter: { blue: 0, green: 100 }, resumable: true, router: 'nginx' };
    const rollback = { splitBefore: { green: 100 }, splitAfter: { blue: 100 }, router: 'nginx', rolledBackFrom: 12, rolledBackTo: 9, reason: 'errors' };
    expect(readDeploymentPayload(blueGreen)).toMatchObject({ cutover: 0, kind: 'blue-green', version: '1.0.0', splitAfter: { blue: 100 } });
    expect(readDeploymentPayload(canary)).toMatchObject({ cutover: 0, kind: 'canary', canary: 'green', stable: 'blue', resumable: true });
    expect(readDeploymentPayload(rollback)).toMatchObject({ cutover: 0, kind: 'rollback', rolledBackFrom: 12, rolledBackTo: 9, reason: 'errors' });
  });

  it("drops what is not of its type, and reads another tool's payload as empty", () => {
    expect(readDeploymentPayload({ version: 3, splitAfter: { blue: 'all' }, pools: 'blue', steps: ['5'] })).toEqual({ cutover: 0, version: '3' });
    expect(readDeploymentPayload('not json')).toEqual({});
    expect(readDeploymentPayload(null)).toEqual({});
  });
});

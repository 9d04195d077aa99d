import { describe, expect, it } from 'vitest';
import { figureOutputs } from './describe.js';
import { commit, deployment, history, WINDOW } from './fixtures.js';
import { deploymentFacts } from '@cutover/github';
import { incidentFacts } from './incidents.js';
import { buildReport, figuresOf } from './report.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

function production() {
  const { deployments, compared, issues } = history();
  const facts = deployments.map(deploymentFacts).filter((entry) => entry.environment === 'production');
  return figuresOf(facts, issues.map(incidentFacts), compared, WINDOW);
}

describe('the four figures of a known history (see fixtures.ts)', () => {
  it('deployment frequency: 5 changes reached production in 14 days', () => {
    const { deploymentFrequency } = production();
    // 2, 3, 5, 7, 8; not 1 (before the window), 4 (a rollback), 6 (never reached success).
    expect(deploymentFrequency.deployments).toEqual([2, 3, 5, 7, 8]);
    expect(deploymentFrequency.perDay).toBeCloseTo(5 / 14, 10);
    expect(deploymentFrequency.band).toBe('high');
  });

  it('lead time: median and p90 over every commit shipped, each counted once', () => {
    const { leadTime } = production();
    // 2: 24 h, 2 h; 3: 1 h; 5: 1 h (3's commit again is not counted); 7: 24 h, 6 h, 30 min; 8: 1 h.
    // Sorted: 1800, 3600, 3600, 3600, 7200, 21600, 86400, 86400.
    expect(leadTime.deployments.map((entry) => entry.commits.map((c) => c.seconds))).toEqual([[DAY, 2 * HOUR], [HOUR], [HOUR], [DAY, 6 * HOUR, 1800], [HOUR]]);
    expect(leadTime.commits).toBe(8);
    expect(leadTime.median).toBe((3600 + 7200) / 2);
    // p90: rank 0.9 x 7 = 6.3, between the 7th and 8th values (both 86400).
    expect(leadTime.p90).toBe(DAY);
    expect(leadTime.band).toBe('elite');
    expect(leadTime.deployments.find((entry) => entry.id === 5)).toMatchObject({ base: { id: 4, sha: 'sha-2' } });
  });

  it('change failure rate: 3 rolled back and 7 with an incident, of 5', () => {
    const { changeFailureRate } = production();
    expect(changeFailureRate.total).toBe(5);
    expect(changeFailureRate.failed).toEqual([
      { id: 3, environment: 'production', version: 'v3', reasons: ['rolled back by deployment 4', 'marked failure after its success', 'incident #10'] },
      { id: 7, environment: 'production', version: 'v7', reasons: ['incident #11'] },
    ]);
    expect(changeFailureRate.rate).toBe(0.4);
    expect(changeFailureRate.band).toBe('low');
  });

  it('time to restore: from the first bad sample to the rollback, and from the incident to the fix forward', () => {
    const { timeToRestore } = production();
    expect(timeToRestore.restorations).toEqual([
      {
        deploymentId: 3,
        environment: 'production',
        version: 'v3',
        startedAt: Date.parse('2026-11-04T12:15:00Z'),
        startedBy: 'first bad sample',
        restoredAt: Date.parse('2026-11-04T12:31:00Z'),
        restoredBy: { id: 4, kind: 'rollback' },
        incidents: [10],
        seconds: 16 * 60,
      },
      {
        deploymentId: 7,
        environment: 'production',
        version: 'v7',
        startedAt: Date.parse('2026-11-10T11:30:00Z'),
        startedBy: 'incident opened',
        restoredAt: Date.parse('2026-11-12T09:10:00Z'),
        restoredBy: { id: 8, kind: 'fix forward' },
        incidents: [11],
        seconds: 45 * HOUR + 40 * 60,
      },
    ]);
    expect(timeToRestore.median).toBe((960 + 164_400) / 2);
    expect(timeToRestore.band).toBe('high');
    expect(timeToRestore.open).toEqual([]);
  });

  it('the report: overall with staging, per environment, weeks and outputs', () => {
    const { deployments, compared, issues } = history();
    const report = buildReport({
      repository: 'o/r',
      window: WINDOW,
      deployments: deployments.map(deploymentFacts),
      incidents: issues.map(incidentFacts),
      compared,
      github: { calls: 0, deploymentsRead: deployments.length, compares: compared.size, incidentsRead: issues.length },
      now: WINDOW.until,
    });
    expect(report.environments).toEqual(['production', 'staging']);
    // Staging's one deployment adds to the count, has no compare base, and did not fail.
    expect(report.overall.deploymentFrequency.count).toBe(6);
    expect(report.overall.changeFailureRate.rate).toBeCloseTo(2 / 6, 10);
    expect(report.overall.leadTime.median).toBe(5400);
    expect(report.overall.leadTime.deployments.find((entry) => entry.id === 20)?.note).toBe(
      'no earlier successful deployment of the environment was found to compare from',
    );
    expect(report.byEnvironment.production!.changeFailureRate.rate).toBe(0.4);
    expect(report.byEnvironment.staging!.changeFailureRate.rate).toBe(0);
    expect(report.byEnvironment.staging!.leadTime.noData).toBe('no commit shipped by the deployments of the window could be read');
    // Weeks from 11-01: 2, 20, 3, 5 then 7, 8; lead time medians 5400 (3600, 3600, 7200, 86400) and 12600.
    expect(report.weeks).toEqual([
      { start: '2026-11-01', deployments: 4, failed: 1, leadTimeMedian: 5400 },
      { start: '2026-11-08', deployments: 2, failed: 1, leadTimeMedian: 12_600 },
    ]);
    expect(figureOutputs(report)).toEqual({
      'deployment-frequency': '0.4286',
      'lead-time': '5400',
      'change-failure-rate': '0.3333',
      'time-to-restore': '82680',
    });
    expect(report.incidents.map((incident) => incident.deploymentId)).toEqual([3, 7, undefined]);
  });
});

describe('thin histories: clear figures or no data, never NaN', () => {
  const report = (deployments: ReturnType<typeof deployment>[], compared = new Map()) =>
    buildReport({
      repository: 'o/r',
      window: WINDOW,
      deployments: deployments.map(deploymentFacts),
      incidents: [],
      compared,
      github: { calls: 0, deploymentsRead: 0, compares: 0, incidentsRead: 0 },
      now: WINDOW.until,
    });

  it('no deployment at all: 0 per day; the other three have no data and empty outputs', () => {
    const empty = report([]);
    expect(empty.overall.deploymentFrequency).toMatchObject({ perDay: 0, count: 0, band: 'low' });
    expect(empty.overall.leadTime).toMatchObject({ noData: 'no deployment reached success in the window', commits: 0 });
    expect(empty.overall.changeFailureRate).toMatchObject({ noData: 'no deployment reached success in the window', total: 0 });
    expect(empty.overall.timeToRestore.noData).toBe('no failed deployment was restored in the window');
    expect(figureOutputs(empty)).toEqual({ 'deployment-frequency': '0', 'lead-time': '', 'change-failure-rate': '', 'time-to-restore': '' });
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity|null,"band"/);
    expect(empty.weeks).toHaveLength(2);
  });

  it('one deployment: counted, nothing to compare from, no failure', () => {
    const one = report([deployment(1, 'production', '2026-11-03T10:00:00', [['success', '2026-11-03T10:05:00']])]);
    expect(one.overall.deploymentFrequency.perDay).toBeCloseTo(1 / 14, 10);
    expect(one.overall.leadTime.median).toBeUndefined();
    expect(one.overall.changeFailureRate).toMatchObject({ rate: 0, band: 'elite', total: 1 });
    expect(figureOutputs(one)).toEqual({ 'deployment-frequency': '0.0714', 'lead-time': '', 'change-failure-rate': '0', 'time-to-restore': '' });
  });

  it('a window with only a rollback: no change to count, the restoration of an older deployment is measured', () => {
    const onlyRollback = report([
      deployment(1, 'production', '2026-10-20T10:00:00', [['success', '2026-10-20T10:05:00']]),
      deployment(2, 'production', '2026-10-31T10:00:00', [
        ['success', '2026-10-31T10:05:00'],
        ['failure', '2026-11-02T08:00:30'],
      ]),
      deployment(3, 'production', '2026-11-02T08:00:00', [['success', '2026-11-02T08:01:00']], {
        task: 'rollback',
        sha: 'sha-1',
        payload: { rolledBackFrom: 2 },
      }),
    ]);
    expect(onlyRollback.overall.deploymentFrequency).toMatchObject({ perDay: 0, count: 0 });
    expect(onlyRollback.overall.leadTime.median).toBeUndefined();
    expect(onlyRollback.overall.changeFailureRate.rate).toBeUndefined();
    // From the rollback's request (08:00:00; the failure mark came after) to its success (08:01:00).
    expect(onlyRollback.overall.timeToRestore).toMatchObject({ median: 60, band: 'elite' });
    expect(onlyRollback.overall.timeToRestore.restorations[0]).toMatchObject({ deploymentId: 2, startedBy: 'rollback requested' });
    expect(figureOutputs(onlyRollback)).toEqual({ 'deployment-frequency': '0', 'lead-time': '', 'change-failure-rate': '', 'time-to-restore': '60' });
  });

  it('a failed change not restored yet is open, not a restoration', () => {
    const open = report([
      deployment(1, 'production', '2026-11-03T10:00:00', [
        ['success', '2026-11-03T10:05:00'],
        ['failure', '2026-11-03T11:00:00'],
      ]),
    ]);
    expect(open.overall.changeFailureRate.rate).toBe(1);
    expect(open.overall.timeToRestore).toMatchObject({ restorations: [], open: [{ deploymentId: 1, since: Date.parse('2026-11-03T11:00:00Z') }] });
  });

  it('the same commit deployed again ships nothing and needs no compare; a commit time after the deployment counts 0 s', () => {
    const again = report(
      [
        deployment(1, 'production', '2026-11-02T10:00:00', [['success', '2026-11-02T10:05:00']], { sha: 'a' }),
        deployment(2, 'production', '2026-11-03T10:00:00', [['success', '2026-11-03T10:05:00']], { sha: 'a' }),
        deployment(3, 'production', '2026-11-04T10:00:00', [['success', '2026-11-04T10:05:00']], { sha: 'b' }),
      ],
      new Map([[3, { commits: [commit('late', '2026-11-04T10:06:00')], total: 1 }]]),
    );
    const notes = again.overall.leadTime.deployments.map((entry) => entry.note);
    expect(notes).toEqual([
      'no earlier successful deployment of the environment was found to compare from',
      'the same commit as deployment 1 was deployed again',
      undefined,
    ]);
    expect(again.overall.leadTime.median).toBe(0);
  });
});

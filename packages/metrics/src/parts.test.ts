import { describe, expect, it } from 'vitest';
import { buildTimeline, renderIncidentBody } from '@cutover/rollback';
import { type DeploymentRecord } from '@cutover/github';
import { failureRateBand, frequencyBand, leadTimeBand, restoreBand } from './bands.js';
import { formatFrequency, formatRate, formatSeconds, outputNumber } from './format.js';
import { deploymentFacts, rolledBackDeployment } from '@cutover/github';
import { incidentFacts } from './incidents.js';
import { parseMetricsInputs } from './inputs.js';
import { safeLine } from './run.js';
import { median, quantile } from './stats.js';
import { parseWindow } from './window.js';
import { deployment } from './fixtures.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400;

describe('DORA levels (2024 report), each figure the best level whose value it meets', () => {
  it('deployment frequency: more than once a day elite, weekly high, monthly medium', () => {
    expect([1.01, 1, 1 / 7, 1 / 7 - 0.001, 1 / 30, 1 / 31, 0].map(frequencyBand)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low', 'low']);
  });
  it('lead time: under a day elite, a week high, a month medium', () => {
    expect([DAY - 1, DAY, 7 * DAY - 1, 7 * DAY, 30 * DAY - 1, 30 * DAY].map(leadTimeBand)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
  });
  it("change failure rate: 5% elite, 20% high (medium's 10% is below it), more low", () => {
    expect([0, 0.05, 0.051, 0.1, 0.2, 0.21, 1].map(failureRateBand)).toEqual(['elite', 'elite', 'high', 'high', 'high', 'low', 'low']);
  });
  it('time to restore: under an hour elite, under a day high, more low', () => {
    expect([3599, 3600, DAY - 1, DAY].map(restoreBand)).toEqual(['elite', 'high', 'high', 'low']);
  });
});

describe('quantiles', () => {
  it('interpolate between ranks; none for no values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(91);
    expect(quantile([5], 0.9)).toBe(5);
    expect(median([])).toBeUndefined();
  });
});

describe('the window and the inputs', () => {
  it('since is a duration back from until, or a date; until defaults to now', () => {
    expect(parseWindow('', '', NOW)).toEqual({ since: NOW - 30 * DAY * 1000, until: NOW });
    expect(parseWindow('2w', '2026-11-15', NOW)).toEqual({ since: Date.parse('2026-11-01T00:00:00Z'), until: Date.parse('2026-11-15T00:00:00Z') });
    expect(parseWindow('12h', '2026-11-15T12:00:00Z', NOW).since).toBe(Date.parse('2026-11-15T00:00:00Z'));
    expect(parseWindow('2026-11-01', '', NOW).since).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });

  it('refuses what it cannot read, naming the input', () => {
    expect(() => parseWindow('30 days', '', NOW)).toThrow('since: expected a duration such as 30d, 12h or 2w, or a date such as 2026-11-01, got "30 days"');
    expect(() => parseWindow('30d', 'yesterday', NOW)).toThrow('until: expected a date');
    expect(() => parseWindow('2026-12-01', '2026-11-01', NOW)).toThrow('since: 2026-12-01T00:00:00.000Z is not before until');
    expect(() => parseWindow('1d', '2027-01-01', NOW)).toThrow('until: 2027-01-01T00:00:00.000Z is in the future');
    expect(() => parseWindow('2026-02-30', '', NOW)).toThrow('since: expected a date such as 2026-11-01');
    expect(() => parseWindow('1d', '2026-02-30T10:00:00Z', NOW)).toThrow('until: expected a date');
    const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    expect(() => parseMetricsInputs(read({ 'incident-label': 'a,b' }), NOW)).toThrow('incident-label: one label');
    expect(parseMetricsInputs(read({ environment: ' production ', token: 't' }), NOW)).toMatchObject({
      environment: 'production',
      incidentLabel: 'incident',
      token: 't',
    });
    expect(parseMetricsInputs(read({}), NOW).environment).toBeUndefined();
  });
});

describe('records', () => {
  it('a success later marked failure; inactive is not a failure', () => {
    const facts = deploymentFacts(
      deployment(1, 'p', '2026-11-01T10:00:00', [
        ['in_progress', '2026-11-01T10:00:01'],
        ['success', '2026-11-01T10:01:00'],
        ['inactive', '2026-11-01T11:00:00'],
        ['error', '2026-11-01T12:00:00'],
      ]),
    );
    expect(facts).toMatchObject({
      succeededAt: Date.parse('2026-11-01T10:01:00Z'),
      failedAfterSuccessAt: Date.parse('2026-11-01T12:00:00Z'),
      rollback: false,
      version: 'v1',
    });
    const aborted = deploymentFacts(
      deployment(2, 'p', '2026-11-01T10:00:00', [
        ['in_progress', '2026-11-01T10:00:01'],
        ['failure', '2026-11-01T10:05:00'],
      ]),
    );
    expect(aborted.succeededAt).toBeUndefined();
    expect(aborted.failedAfterSuccessAt).toBeUndefined();
  });

  it('a rollback without rolledBackFrom (to a pool) restored the change live when it started', () => {
    const all = [
      deployment(1, 'p', '2026-11-01T10:00:00', [['success', '2026-11-01T10:01:00']]),
      deployment(2, 'p', '2026-11-02T10:00:00', [['success', '2026-11-02T10:01:00']]),
      deployment(3, 'q', '2026-11-02T11:00:00', [['success', '2026-11-02T11:01:00']]),
      deployment(4, 'p', '2026-11-02T12:00:00', [['success', '2026-11-02T12:00:05']], { task: 'rollback', payload: {} }),
    ].map(deploymentFacts);
    expect(rolledBackDeployment(all[3]!, all)).toBe(2);
  });

  it('incidents as rollback writes them: the marker and the timeline of @cutover/incident', () => {
    const bad: DeploymentRecord = {
      id: 57,
      environment: 'prod eu',
      task: 'deploy',
      ref: 'v2',
      sha: 'b'.repeat(40),
      created_at: '2026-11-01T10:00:00Z',
      payload: { version: 'v2' },
      statuses: [{ state: 'success', created_at: '2026-11-01T10:00:42Z' }],
    };
    const body = renderIncidentBody({
      environment: 'prod eu',
      bad: { id: 57, ref: 'v2', sha: bad.sha, version: 'v2' },
      good: { id: 56, ref: 'v1', sha: 'a'.repeat(40), version: 'v1' },
      restored: '{blue: 100}',
      timeline: buildTimeline({
        bad,
        firstBadSampleAt: '2026-11-01T10:01:12Z',
        detectedAt: '2026-11-01T10:02:12.345Z',
        rollbackStartedAt: '2026-11-01T10:02:20Z',
        rolledBackAt: '2026-11-01T10:02:21Z',
      }),
      commits: [],
      checks: [],
      runs: [],
    });
    const facts = incidentFacts({ number: 9, html_url: 'https://github.com/o/r/issues/9', title: 't', body, created_at: '2026-11-01T10:02:30Z' });
    expect(facts).toEqual({
      number: 9,
      url: 'https://github.com/o/r/issues/9',
      title: 't',
      openedAt: Date.parse('2026-11-01T10:02:30Z'),
      deploymentId: 57,
      environment: 'prod eu',
      firstBadSampleAt: Date.parse('2026-11-01T10:01:12Z'),
      detectedAt: Date.parse('2026-11-01T10:02:12Z'),
    });
    expect(incidentFacts({ number: 1, html_url: 'u', title: 't', body: null, created_at: '2026-11-01T10:00:00Z', closed_at: '2026-11-02T10:00:00Z' })).toEqual({
      number: 1,
      url: 'u',
      title: 't',
      openedAt: Date.parse('2026-11-01T10:00:00Z'),
      closedAt: Date.parse('2026-11-02T10:00:00Z'),
    });
  });
});

describe('words and outputs', () => {
  it('formats durations, rates and frequencies; outputs are plain numbers or empty', () => {
    expect([42, 250, 5 * 3600 + 12 * 60, 2 * DAY + 3 * 3600, 3 * DAY].map(formatSeconds)).toEqual(['42s', '4m10s', '5h12m', '2d3h', '3d']);
    expect(formatRate(1 / 7)).toBe('14.3%');
    expect([2.345, 0.5].map(formatFrequency)).toEqual(['2.3 per day', '3.5 per week']);
    expect([1 / 3, 0, undefined, Number.NaN].map(outputNumber)).toEqual(['0.3333', '0', '', '']);
  });

  it('text from GitHub never starts a workflow command in the log', () => {
    expect(safeLine('::error::x\n  ::warning::y\n##[error]z')).toBe('› ::error::x\n›   ::warning::y\n# #[error]z');
  });
});

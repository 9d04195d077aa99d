import { describe, expect, it } from 'vitest';
import { checkFreeze, describeFreeze, freezeVerdict, frozenAt, isoTime, type FreezeWindow } from './freeze.js';

const BRIEF: FreezeWindow[] = [
  { reason: 'Year-end freeze', from: '2026-12-20T00:00:00Z', until: '2027-01-04T00:00:00Z' },
  { reason: 'No deploys on Friday evenings', weekly: { days: ['fri'], from: '16:00', until: '23:59' }, timezone: 'Europe/Madrid' },
];

const at = (iso: string) => new Date(iso);

describe('frozenAt', () => {
  it('holds inside an absolute window, until its end (not included)', () => {
    expect(frozenAt(BRIEF, at('2026-12-24T12:00:00Z'))).toEqual({ reasons: ['Year-end freeze'], until: at('2027-01-04T00:00:00Z') });
    expect(frozenAt(BRIEF, at('2026-12-20T00:00:00Z'))?.reasons).toEqual(['Year-end freeze']);
    expect(frozenAt(BRIEF, at('2026-12-19T23:59:59Z'))).toBeUndefined();
    expect(frozenAt(BRIEF, at('2027-01-04T00:00:00Z'))).toBeUndefined();
  });

  it('reads weekly times on the wall clock of the time zone, summer and winter', () => {
    // Friday 2026-06-12, Madrid on CEST (UTC+2): 16:00 there is 14:00Z, 23:59 is 21:59Z.
    expect(frozenAt(BRIEF, at('2026-06-12T13:59:00Z'))).toBeUndefined();
    expect(frozenAt(BRIEF, at('2026-06-12T14:00:00Z'))).toEqual({ reasons: ['No deploys on Friday evenings'], until: at('2026-06-12T21:59:00Z') });
    expect(frozenAt(BRIEF, at('2026-06-12T21:59:00Z'))).toBeUndefined();
    // Friday 2026-02-13, CET (UTC+1): 16:00 is 15:00Z.
    expect(frozenAt(BRIEF, at('2026-02-13T14:30:00Z'))).toBeUndefined();
    expect(frozenAt(BRIEF, at('2026-02-13T15:00:00Z'))?.until).toEqual(at('2026-02-13T22:59:00Z'));
    // Thursday evening, and Friday evening in UTC but already Saturday in Madrid.
    expect(frozenAt(BRIEF, at('2026-06-11T18:00:00Z'))).toBeUndefined();
    expect(
      frozenAt([{ reason: 'late', weekly: { days: ['fri'], from: '00:00', until: '02:00' }, timezone: 'Europe/Madrid' }], at('2026-06-12T23:30:00Z')),
    ).toBeUndefined();
  });

  it('takes the day of the time zone, not of UTC', () => {
    const tokyo: FreezeWindow[] = [{ reason: 'Monday morning', weekly: { days: ['mon'], from: '06:00', until: '09:00' }, timezone: 'Asia/Tokyo' }];
    // Sunday 22:00Z is Monday 07:00 in Tokyo (UTC+9, no DST).
    expect(frozenAt(tokyo, at('2026-03-01T22:00:00Z'))).toEqual({ reasons: ['Monday morning'], until: at('2026-03-02T00:00:00Z') });
  });

  it('weekly times without a time zone are UTC; 24:00 is the midnight after', () => {
    const windows: FreezeWindow[] = [{ reason: 'weekend', weekly: { days: ['sat', 'sun'], from: '00:00', until: '24:00' } }];
    // Saturday then Sunday follow each other: one freeze until Monday 00:00Z.
    expect(frozenAt(windows, at('2026-06-13T10:00:00Z'))).toEqual({ reasons: ['weekend'], until: at('2026-06-15T00:00:00Z') });
  });

  it('windows that follow one another make one freeze; every reason in force is named', () => {
    // Friday 2027-01-01 18:00 in Madrid: the year-end freeze and the Friday evening at once.
    const frozen = frozenAt(BRIEF, at('2027-01-01T17:00:00Z'))!;
    expect(frozen).toEqual({ reasons: ['Year-end freeze', 'No deploys on Friday evenings'], until: at('2027-01-04T00:00:00Z') });
    const chained: FreezeWindow[] = [
      { reason: 'first', from: '2026-05-01T00:00:00Z', until: '2026-05-02T00:00:00Z' },
      { reason: 'second', from: '2026-05-02T00:00:00Z', until: '2026-05-03T12:00:00+02:00' },
    ];
    expect(frozenAt(chained, at('2026-05-01T06:00:00Z'))).toEqual({ reasons: ['first'], until: at('2026-05-03T10:00:00Z') });
  });

  it('says why and until when, as an ISO time', () => {
    expect(describeFreeze({ reasons: ['Year-end freeze'], until: at('2027-01-04T00:00:00Z') })).toBe('Year-end freeze, until 2027-01-04T00:00:00Z');
    expect(isoTime(at('2027-01-04T00:00:00.250Z'))).toBe('2027-01-04T00:00:00.250Z');
    expect(frozenAt(undefined, at('2026-12-24T00:00:00Z'))).toBeUndefined();
  });
});

describe('checkFreeze', () => {
  it('accepts the brief, and names what is wrong with a window', () => {
    expect(checkFreeze(BRIEF, ['freeze'])).toEqual([]);
    const bad = [
      { reason: 'both', from: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z', weekly: { days: ['fri'], from: '16:00', until: '18:00' } },
      { reason: 'neither' },
      { reason: 'backwards', from: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      { reason: 'half', from: '2026-01-02T00:00:00Z' },
      { reason: 'over midnight', weekly: { days: ['fri'], from: '22:00', until: '02:00' } },
      { reason: 'no such zone', weekly: { days: ['fri'], from: '16:00', until: '18:00' }, timezone: 'Europe/Atlantis' },
      { reason: 'zone on absolute', from: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z', timezone: 'UTC' },
      { reason: 'no day 31', from: '2026-02-31T00:00:00Z', until: '2026-03-02T00:00:00Z' },
    ] as unknown as FreezeWindow[];
    expect(checkFreeze(bad, ['freeze']).map((problem) => `${problem.segments.join('.')}: ${problem.message}`)).toEqual([
      'freeze.0: has from/until and weekly: a window is one or the other',
      'freeze.1: needs from and until (an absolute window) or weekly (a window every week)',
      'freeze.2.until: 2026-01-01T00:00:00Z is not after from (2026-01-02T00:00:00Z)',
      'freeze.3.until: is required with an absolute window (from and until)',
      "freeze.4.weekly.until: 02:00 is not after from (22:00); a window over midnight is two days' windows",
      'freeze.5.timezone: "Europe/Atlantis" is not an IANA time zone such as Europe/Madrid or America/New_York',
      'freeze.6.timezone: applies to weekly times; from and until carry their own offset',
      'freeze.7.from: "2026-02-31T00:00:00Z" is not a real time',
    ]);
  });
});

describe('freezeVerdict', () => {
  const production = { name: 'production', freeze: BRIEF };
  it('refuses inside a window naming its reason and its end, lets ignore-freeze through to be recorded, and goes outside', () => {
    expect(freezeVerdict(production, at('2026-12-24T12:00:00Z'), false)).toMatchObject({
      action: 'refuse',
      message:
        'environments.production.freeze: production is frozen (Year-end freeze, until 2027-01-04T00:00:00Z); nothing was changed. Deploy after 2027-01-04T00:00:00Z, or set ignore-freeze: true (it is recorded on the deployment); rollback is never frozen',
    });
    expect(freezeVerdict(production, at('2026-12-24T12:00:00Z'), true)).toMatchObject({
      action: 'ignored',
      record: 'Year-end freeze, until 2027-01-04T00:00:00Z',
    });
    expect(freezeVerdict(production, at('2026-12-01T12:00:00Z'), false)).toEqual({ action: 'go' });
    expect(freezeVerdict({ name: 'staging' }, at('2026-12-24T12:00:00Z'), false)).toEqual({ action: 'go' });
  });
});

import { describe, expect, it } from 'vitest';
import { inTurn, listFailure, listOutputs, listSummary, type EnvironmentResult, type Output } from './each.js';

/** A stand-in for one environment's rollback: records the order, sets outputs as finish does, or fails. */
function rollBacks(failing: Record<string, string> = {}) {
  const order: string[] = [];
  const one = async (environment: string, output: Output) => {
    order.push(environment);
    await Promise.resolve();
    if (failing[environment]) throw new Error(failing[environment]);
    output('rolled-back-to', '1.0.0');
    output('deployment-id', String(order.length + 40));
    output('incident-url', `https://github.com/o/r/issues/${order.length}`);
  };
  return { order, one };
}

describe('several environments, each rolled back in turn', () => {
  it('rolls back in the order given (the waves newest first), gathering each one outputs', async () => {
    const { order, one } = rollBacks();
    const log: string[] = [];
    const results = await inTurn(['production-us', 'production-eu'], one, (line) => log.push(line));
    expect(order).toEqual(['production-us', 'production-eu']);
    expect(log).toEqual(['Rollback 1 of 2: production-us.', 'Rollback 2 of 2: production-eu.']);
    expect(results.map((result) => [result.environment, result.error])).toEqual([
      ['production-us', undefined],
      ['production-eu', undefined],
    ]);
    expect(listFailure(results)).toBeUndefined();
  });

  it('goes on after a failure (each is traffic of its own), then fails naming every environment that failed and why', async () => {
    const { order, one } = rollBacks({
      'production-us': 'the HAProxy instances disagree (drift)',
      'production-ap': 'no earlier deployment of production-ap reached success',
    });
    const log: string[] = [];
    const results = await inTurn(['production-us', 'production-eu', 'production-ap'], one, (line) => log.push(line));
    expect(order).toEqual(['production-us', 'production-eu', 'production-ap']);
    expect(log).toContain('The rollback of production-us failed: the HAProxy instances disagree (drift); going on with production-eu, production-ap.');
    expect(log.at(-1)).toBe('The rollback of production-ap failed: no earlier deployment of production-ap reached success.');
    expect(listFailure(results)).toBe(
      'the rollbacks of 2 environments failed (production-us: the HAProxy instances disagree (drift); production-ap: no earlier deployment of production-ap reached success); rolled back: production-eu',
    );
  });

  it('names the one that failed, and says when none was rolled back', async () => {
    const one = await inTurn(['production-us', 'production-eu'], rollBacks({ 'production-eu': 'boom' }).one, () => {});
    expect(listFailure(one)).toBe('the rollback of production-eu failed (production-eu: boom); rolled back: production-us');
    const all = await inTurn(['production-us', 'production-eu'], rollBacks({ 'production-us': 'a', 'production-eu': 'b' }).one, () => {});
    expect(listFailure(all)).toBe('the rollbacks of 2 environments failed (production-us: a; production-eu: b); no other environment was rolled back');
  });

  it('logs a failure so that it can never start a workflow command', async () => {
    const log: string[] = [];
    await inTurn(['production-us'], rollBacks({ 'production-us': 'x\n::error::pwned' }).one, (line) => log.push(line));
    expect(log.join('\n')).not.toMatch(/^::/m);
  });
});

describe('the outputs of several environments', () => {
  const results: EnvironmentResult[] = [
    { environment: 'production-us', outputs: { 'rolled-back-to': '1.0.0', 'deployment-id': '41', 'incident-url': 'https://github.com/o/r/issues/1' } },
    // Failed after traffic went back (its records could not be written): what it set stays.
    { environment: 'production-eu', outputs: { 'rolled-back-to': '0.9.0' }, error: 'GitHub timed out' },
    { environment: 'production-ap', outputs: {}, error: 'refused' },
  ];

  it('are JSON objects keyed by environment, in the order rolled back, with what each set', () => {
    const outputs = listOutputs(results);
    expect(Object.keys(outputs)).toEqual(['rolled-back-to', 'deployment-id', 'incident-url']);
    expect(outputs['rolled-back-to']).toBe('{"production-us":"1.0.0","production-eu":"0.9.0"}');
    expect(JSON.parse(outputs['deployment-id']!)).toEqual({ 'production-us': '41' });
    expect(JSON.parse(outputs['incident-url']!)).toEqual({ 'production-us': 'https://github.com/o/r/issues/1' });
  });

  it('carry each plan as an object in a dry run', () => {
    const plan = { dryRun: true, action: 'rollback', environment: 'production-us', transitions: [] };
    const outputs = listOutputs([{ environment: 'production-us', outputs: { 'rolled-back-to': '1.0.0', plan: JSON.stringify(plan) } }]);
    expect(JSON.parse(outputs.plan!)).toEqual({ 'production-us': plan });
  });

  it('end the summary with every environment and how it ended', () => {
    expect(listSummary(results, false)).toBe(
      [
        '## Rollback of 3 environments, in this order',
        '',
        '| # | Environment | Result |',
        '| :-- | :-- | :-- |',
        '| 1 | production-us | rolled back to 1.0.0, incident https://github.com/o/r/issues/1 |',
        '| 2 | production-eu | ❌ failed: GitHub timed out |',
        '| 3 | production-ap | ❌ failed: refused |',
        '',
      ].join('\n'),
    );
  });
});

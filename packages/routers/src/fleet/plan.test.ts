import { describe, expect, it } from 'vitest';
import { agreedSplit, commonPools, settledAll } from './plan.js';

describe('a fleet, planned', () => {
  it('reads one split when every instance agrees', () => {
    expect(
      agreedSplit([
        { name: 'a', split: { blue: 100, green: 0 } },
        { name: 'b', split: { green: 0, blue: 100 } },
      ]),
    ).toEqual({ blue: 100, green: 0 });
  });

  it("refuses instances that disagree, naming each instance's split", () => {
    expect(() =>
      agreedSplit([
        { name: 'lb-a', split: { blue: 100, green: 0 } },
        { name: 'lb-b', split: { blue: 80, green: 20 } },
        { name: 'lb-c', split: { blue: 100, green: 0 } },
      ]),
    ).toThrow(
      'the instances disagree (drift): lb-a {blue: 100, green: 0}, lb-b {blue: 80, green: 20}, lb-c {blue: 100, green: 0}; put them back in step before switching',
    );
  });

  it('names each instance that failed, with its reason', () => {
    const settled: PromiseSettledResult<number>[] = [
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('reload refused') },
      { status: 'rejected', reason: 'socket gone' },
    ];
    expect(() => settledAll(['a', 'b', 'c'], settled)).toThrow('instance b: reload refused; instance c: socket gone');
    expect(settledAll(['a', 'b'], [settled[0]!, settled[0]!])).toEqual([1, 1]);
  });

  it('knows the pools every instance knows', () => {
    expect(
      commonPools([
        ['v1', 'v2', 'v3'],
        ['v2', 'v3'],
        ['v3', 'v2'],
      ]),
    ).toEqual(['v2', 'v3']);
  });
});

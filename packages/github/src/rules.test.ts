import { describe, expect, it } from 'vitest';
import { unrequiredChecks } from './rules.js';

describe('unrequiredChecks', () => {
  it('names the checks no rule requires', () => {
    const rules = [
      { type: 'deletion' },
      { type: 'required_status_checks', parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context: 'test-gate' }] } },
    ];
    expect(unrequiredChecks(rules, ['test-gate', 'cutover/line'])).toEqual(['cutover/line']);
    expect(unrequiredChecks([], ['test-gate'])).toEqual(['test-gate']);
    expect(
      unrequiredChecks(
        [{ type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'cutover/line' }, { context: 'test-gate' }] } }],
        ['test-gate', 'cutover/line'],
      ),
    ).toEqual([]);
  });
});

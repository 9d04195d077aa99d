import { describe, expect, it } from 'vitest';
import { planLines, planMarkdown, type DryRunPlan } from './plan.js';

const plan: DryRunPlan = {
  action: 'rollback',
  environment: 'production',
  router: 'haproxy web (dry run)',
  before: { blue: 100, green: 0 },
  transitions: [{ split: { blue: 0, green: 100 }, what: 'roll back v7 to v6' }],
  notes: ['would open an incident issue', 'version\n::warning::from a payload'],
};

describe('a dry run plan', () => {
  it('is logged line by line, text from records unable to start a workflow command', () => {
    const lines = planLines(plan);
    expect(lines.slice(0, 3)).toEqual([
      'dry-run: rollback on production changes nothing and records nothing. The plan:',
      '  now: {blue: 100, green: 0} (haproxy web (dry run))',
      '  1. {blue: 0, green: 100}: roll back v7 to v6',
    ]);
    expect(
      lines
        .join('\n')
        .split('\n')
        .some((line) => line.trimStart().startsWith('::')),
    ).toBe(false);
  });

  it('says when nothing would change, and shows each transition in the summary table', () => {
    expect(planLines({ ...plan, transitions: [] })).toContain('  no change of traffic');
    const markdown = planMarkdown(plan);
    expect(markdown).toContain('| 1 | {blue: 0, green: 100} | roll back v7 to v6 |');
    expect(markdown).toContain('- version ::warning::from a payload');
  });
});

import { describe, expect, it } from 'vitest';
import type { Proof } from './proof.js';
import type { Finding } from './rules.js';
import { conclusionOf, fails, verdictOf } from './verdict.js';

const finding = (severity: Finding['severity'], ignored = false): Finding => ({
  rule: severity === 'breaking' ? 'drop-column' : 'lock-timeout',
  severity,
  file: 'm.sql',
  line: 1,
  message: '',
  reason: '',
  instead: '',
  statement: '',
  ignored,
});
const proof = (over: Partial<Proof> = {}): Proof => ({
  engine: 'PGlite',
  migrations: [{ file: 'm.sql', status: 'applied' }],
  failures: [],
  queries: 3,
  durationMs: 1,
  ...over,
});

describe('verdictOf', () => {
  it('is compatible with nothing found and a passing proof', () => {
    expect(verdictOf([], proof())).toBe('compatible');
  });

  it('is risky with risky findings only, breaking with any breaking one', () => {
    expect(verdictOf([finding('risky')], proof())).toBe('risky');
    expect(verdictOf([finding('risky'), finding('breaking')], proof())).toBe('breaking');
  });

  it('leaves ignored findings out, but never the proof', () => {
    expect(verdictOf([finding('breaking', true)], proof())).toBe('compatible');
    const failing = proof({
      failures: [{ query: { file: 'q.sql', line: 1, text: 'SELECT name FROM users', prepareOnly: false }, migration: 'm.sql', error: 'no column' }],
    });
    expect(verdictOf([finding('breaking', true)], failing)).toBe('breaking');
    expect(verdictOf([], proof({ migrations: [{ file: 'm.sql', status: 'failed', line: 2, error: 'syntax' }] }))).toBe('breaking');
  });
});

describe('fails and conclusionOf', () => {
  it('fail the step at breaking, and at risky only with fail-on: risky', () => {
    expect([fails('compatible', 'breaking'), fails('risky', 'breaking'), fails('breaking', 'breaking')]).toEqual([false, false, true]);
    expect([fails('compatible', 'risky'), fails('risky', 'risky')]).toEqual([false, true]);
  });

  it('show risky as neutral unless it fails', () => {
    expect([
      conclusionOf('compatible', 'breaking'),
      conclusionOf('risky', 'breaking'),
      conclusionOf('risky', 'risky'),
      conclusionOf('breaking', 'breaking'),
    ]).toEqual(['success', 'neutral', 'failure', 'failure']);
  });
});

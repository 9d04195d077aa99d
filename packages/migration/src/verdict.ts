/** The verdict: what the findings and the proof say together. Pure. */
import type { CheckConclusion } from '@cutover/github';
import type { Proof } from './proof.js';
import type { Finding } from './rules.js';

export type Verdict = 'compatible' | 'risky' | 'breaking';
export const VERDICTS: readonly Verdict[] = ['compatible', 'risky', 'breaking'];

/**
 * Breaking when a breaking rule fires (unless ignored in the file), a new migration fails, or a
 * statement of the live version fails; risky when only risky rules fire; compatible otherwise.
 * An ignore comment silences a rule, never the proof.
 */
export function verdictOf(findings: Finding[], proof: Proof | undefined): Verdict {
  const active = findings.filter((finding) => !finding.ignored);
  const proofFails = !!proof && (proof.failures.length > 0 || proof.migrations.some((migration) => migration.status === 'failed'));
  if (proofFails || active.some((finding) => finding.severity === 'breaking')) return 'breaking';
  if (active.some((finding) => finding.severity === 'risky')) return 'risky';
  return 'compatible';
}

/** Whether the step fails: at `breaking` always, at `risky` when `fail-on: risky`. */
export function fails(verdict: Verdict, failOn: Exclude<Verdict, 'compatible'>): boolean {
  return verdict === 'breaking' || (verdict === 'risky' && failOn === 'risky');
}

/** The check run's conclusion: risky is neutral (shown, not blocking) unless it fails the step. */
export function conclusionOf(verdict: Verdict, failOn: Exclude<Verdict, 'compatible'>): CheckConclusion {
  if (fails(verdict, failOn)) return 'failure';
  return verdict === 'risky' ? 'neutral' : 'success';
}

/**
 * Repeated looks without inflated false alarms: an alpha-spending schedule.
 *
 * A watch tests its data after every interval. Testing each look at the full alpha would raise a
 * false alarm on identical pools far more often than alpha says. Instead, the total alpha is spent
 * over the planned looks with Pocock's spending function alpha * ln(1 + (e - 1) * t), t being the
 * fraction of the planned looks done; each look tests at the increment since the last look tested.
 * The increments add up to at most alpha, so by the union bound the chance of any false alarm
 * over the whole watch is at most alpha, however many looks there are. (Bonferroni over the tests
 * of one look is applied by the caller.)
 */

export function spentAlpha(alpha: number, fraction: number): number {
  const t = Math.min(1, Math.max(0, fraction));
  return alpha * Math.log(1 + (Math.E - 1) * t);
}

/**
 * The level of the test at look `look` (1-based) of `plannedLooks`, given the fraction at which
 * this test last spent alpha (0 if never). A look beyond the plan (which the watch should not make)
 * keeps the level of the last planned look rather than 0: a plan that ran short must not stop the
 * comparisons from failing a canary, at the cost of a slightly looser bound on false alarms.
 */
export function lookAlpha(alpha: number, look: number, plannedLooks: number, lastFraction = 0): { level: number; fraction: number } {
  const planned = Math.max(1, plannedLooks);
  const fraction = Math.min(1, look / planned);
  const from = look > planned ? Math.min(lastFraction, (planned - 1) / planned) : lastFraction;
  return { level: Math.max(0, spentAlpha(alpha, fraction) - spentAlpha(alpha, from)), fraction };
}

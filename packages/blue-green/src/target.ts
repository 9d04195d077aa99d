/** Which pool a blue-green switch moves to, and which one it leaves: pure decisions. */
import { formatSplit, idlePools, type Split } from '@cutover/config';

/**
 * The pool to switch to: `to` when given (it must be one of `pools`), else the one idle pool
 * (weight 0). Symlink pools are the releases on disk, where "idle" may well be an older release:
 * there the release must be named. Errors name the inputs.
 */
export function chooseTarget(split: Split, pools: readonly string[], to: string | undefined, kind?: string): string {
  if (to) {
    if (!pools.includes(to)) throw new Error(`to: pool "${to}" is not in the environment's pools (${pools.join(', ') || 'none'})`);
    return to;
  }
  if (kind === 'symlink') {
    throw new Error(
      `to: a symlink router switches to a named release: set \`to\` or \`version\` (or \`candidate\`); every release on disk that is not live counts as idle, older ones too (${pools.join(', ') || 'none'})`,
    );
  }
  const idle = idlePools(split, pools);
  if (idle.length === 1) return idle[0]!;
  if (idle.length === 0) throw new Error(`to: no pool is idle in the current split ${formatSplit(split)}; name the pool to switch to`);
  throw new Error(`to: ${idle.length} pools are idle (${idle.join(', ')}); name the pool to switch to`);
}

/** The pool that had the traffic: the one at 100, else the heaviest (a canary left half way). */
export function previousPool(split: Split): string | undefined {
  const entries = Object.entries(split).filter(([, weight]) => weight > 0);
  entries.sort((a, b) => b[1] - a[1]);
  return entries[0]?.[0];
}

/** What a rollback puts back, and whether the servers still run it. Pure. */
import { formatSplit, type Split } from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { CutoverPayload } from '@cutover/github';
import { RollbackTargetError } from './choose.js';

/**
 * The split to apply: the serving pools recorded live after the target deployment. Pools at 0 are
 * left out (the router sets every pool it does not name to 0), so a release pruned since, or a
 * pool removed from the file, does not block the rollback. A symlink deployment that recorded only
 * its version is that release on every host.
 */
export function restoreSplit(kind: string, payload: CutoverPayload, deploymentId: number): Split {
  const serving = payload.splitAfter ? Object.fromEntries(Object.entries(payload.splitAfter).filter(([, weight]) => weight > 0)) : {};
  if (Object.keys(serving).length > 0) return serving;
  if (kind === 'symlink' && payload.version) return { [payload.version]: 100 };
  throw new RollbackTargetError(
    `deployment ${deploymentId} records no split to restore (payload.splitAfter${kind === 'symlink' ? ' or payload.version' : ''}); ` +
      'pass `to` with another deployment',
  );
}

/** Pools (or releases) that take traffic in a split. */
export function servingPools(split: Split): string[] {
  return Object.entries(split)
    .filter(([, weight]) => weight > 0)
    .map(([pool]) => pool);
}

/** A version endpoint's answer: JSON with a `version` field, or the first line of plain text. */
export function versionFromBody(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { version?: unknown };
      // A server's words, logged in mismatches: made safe to log (a marked line never equals a version).
      if (typeof parsed.version === 'string' || typeof parsed.version === 'number') return outside(String(parsed.version));
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const line = trimmed.split(/\r\n|\r|\n/)[0]?.trim();
  return line ? outside(line) : undefined;
}

export interface VersionObservation {
  pool: string;
  address: string;
  version?: string;
  /** Why no version was read (refused, timed out, status 404). */
  error?: string;
}

/** One line per server that does not answer `expected`; empty when all do. */
export function versionMismatches(expected: string, observations: readonly VersionObservation[]): string[] {
  return observations
    .filter((seen) => seen.version !== expected)
    .map((seen) =>
      seen.error !== undefined
        ? `${seen.pool} ${seen.address}: no version (${seen.error})`
        : `${seen.pool} ${seen.address} runs ${seen.version ?? 'nothing'}, not ${expected}`,
    );
}

/** Releases a symlink split needs that are not on every host. */
export function missingReleases(split: Split, available: readonly string[]): string[] {
  const present = new Set(available);
  return servingPools(split).filter((release) => !present.has(release));
}

/** The sentence the log and the error give when the target's code is no longer deployed. */
export function describeStale(version: string | undefined, split: Split, problems: readonly string[]): string {
  const what = version ? `version ${version}` : `the split ${formatSplit(split)}`;
  return `the recorded pools no longer run ${what}: ${problems.join('; ')}`;
}

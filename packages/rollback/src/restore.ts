/** Puts the target's split back through the environment's router, after checking the code is still there. */
import * as core from '@actions/core';
import { formatSplit, poolAddressesOf, type NamedEnvironment, type Split } from '@cutover/config';
import { missingReleases, restoreSplit, servingPools, versionFromBody, versionMismatches, type VersionObservation } from './plan.js';
import { type CutoverPayload } from '@cutover/github';
import { applySplit, createRouter, type AppliedSplit, type Router } from '@cutover/routers';

const VERSION_TIMEOUT_MS = 3_000;

export type RestorePlan = { stale: false; router: Router; split: Split } | { stale: true; router: Router; split: Split; problems: string[] };

async function observe(url: string, pool: string, address: string): Promise<VersionObservation> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(VERSION_TIMEOUT_MS) });
    const body = await response.text();
    if (!response.ok) return { pool, address, error: `${url} answered ${response.status}` };
    const version = versionFromBody(body);
    return version === undefined ? { pool, address, error: `${url} answered nothing` } : { pool, address, version };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { pool, address, error: `${url}: ${cause ?? (error as Error).message}` };
  }
}

/** The version each server of the serving pools answers at health.version-url. */
export async function readVersions(environment: NamedEnvironment, template: string, pools: string[]): Promise<VersionObservation[]> {
  const probes = pools.flatMap((pool) =>
    (poolAddressesOf(environment.pools, pool) ?? []).map((address) =>
      observe(template.replaceAll('{address}', address).replaceAll('{pool}', pool), pool, address),
    ),
  );
  return Promise.all(probes);
}

/** The environment's router, logging each host or server it moves; with `dryRun`, one that only plans. */
export function routerOf(environment: NamedEnvironment, dryRun = false): Router {
  return createRouter(environment, { log: (line) => core.info(line), dryRun });
}

/** "traffic moved from {blue: 100, green: 0} to {blue: 0, green: 100}", for the log, summary and incident. */
export function describeApplied(applied: AppliedSplit, dryRun = false): string {
  if (!applied.changed) return `traffic ${dryRun ? 'is' : 'was'} already ${formatSplit(applied.after)}`;
  return `traffic ${dryRun ? 'would move' : 'moved'} from ${formatSplit(applied.before)} to ${formatSplit(applied.after)}`;
}

/**
 * Which split to apply and whether the servers still run the target's version: symlink releases
 * must still be on every host; pools are asked at health.version-url when the file names one.
 */
export async function planRestore(environment: NamedEnvironment, payload: CutoverPayload, targetId: number, dryRun = false): Promise<RestorePlan> {
  const router = routerOf(environment, dryRun);
  const split = restoreSplit(router.kind, payload, targetId);
  if (router.kind === 'symlink') {
    const missing = missingReleases(split, await router.pools());
    if (missing.length === 0) return { stale: false, router, split };
    return { stale: true, router, split, problems: missing.map((release) => `release ${release} is no longer on every host`) };
  }
  const template = environment.health?.['version-url'];
  if (!template || !payload.version) {
    core.info(
      !template
        ? `Versions not verified: environments.${environment.name}.health.version-url is not set.`
        : `Versions not verified: deployment ${targetId} recorded no version.`,
    );
    return { stale: false, router, split };
  }
  const unknown = servingPools(split).filter((pool) => !poolAddressesOf(environment.pools, pool));
  if (unknown.length > 0) {
    return { stale: true, router, split, problems: unknown.map((pool) => `pool ${pool} is no longer in environments.${environment.name}.pools`) };
  }
  const observations = await readVersions(environment, template, servingPools(split));
  const problems = versionMismatches(payload.version, observations);
  if (problems.length === 0) core.info(`Version ${payload.version} confirmed on ${observations.length} server(s) of ${servingPools(split).join(', ')}.`);
  return problems.length === 0 ? { stale: false, router, split } : { stale: true, router, split, problems };
}

export async function applyRestore(plan: RestorePlan, targetId: number): Promise<AppliedSplit> {
  return applySplit(plan.router, plan.split, `deployment ${targetId} payload.splitAfter`);
}

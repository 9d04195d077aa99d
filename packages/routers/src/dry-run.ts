/**
 * A router that plans instead of moving (the actions' `dry-run: true`): reads are real, so the plan
 * starts from what is live and every refusal of a real run still happens (an unknown pool, a read no
 * router can serve, a symlink release missing on a host); `apply` records the split it was asked for
 * and answers what the router would read back (`expected`), changing nothing. The actions keep their
 * one path: applySplit over this router is the real run's plan, transition by transition.
 */
import type { Split } from '@cutover/config';
import type { Router, RouterSnapshot } from './router.js';

export interface DryRunRouter extends Router {
  /** Every split a real run would have applied, in order, as complete splits (every pool named). */
  readonly planned: Split[];
}

export function dryRunRouter(router: Router): DryRunRouter {
  const planned: Split[] = [];
  // The members a plan needs, named one by one: anything else a router can do (a fleet's converge)
  // changes traffic and has no place in a dry run.
  return {
    kind: router.kind,
    pools: () => router.pools(),
    read: () => router.read(),
    expected: (next: Split) => router.expected(next),
    ...(router.hostReleases ? { hostReleases: () => router.hostReleases!() } : {}),
    ...(router.traffic ? { traffic: () => router.traffic!() } : {}),
    planned,
    describe: () => `${router.describe()} (dry run)`,
    async snapshot(): Promise<RouterSnapshot> {
      // Nothing is changed, so there is nothing to put back: only the split is read.
      return { split: await router.read(), restore: async () => {} };
    },
    ...(router.check ? { check: (next: Split) => router.check!(next) } : {}),
    async apply(next: Split): Promise<Split> {
      // What a real apply refuses before changing anything, a plan refuses too.
      await router.check?.(next);
      planned.push({ ...next });
      return router.expected(next);
    },
  };
}

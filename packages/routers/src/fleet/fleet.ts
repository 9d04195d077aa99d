/**
 * A fleet: N routers of one kind (the router's `instances`) driven as one Router. Generic: it
 * knows nothing of nginx, HAProxy or links, only the Router interface, so every kind gets
 * instances from this one place. applySplit drives it as any router: the fleet's snapshot is every
 * instance's (refused when they disagree), its apply changes all of them in parallel and reads
 * each back, and on any failure applySplit restores the snapshot: every instance, each to its own
 * state, then reads the fleet back.
 */
import { errorMessage, formatSplit, sameSplit, validateSplit, type Split, type TrafficReader } from '@cutover/config';
import { checkedRead, RouterError, targetSplit, type HostRelease, type Router, type RouterSnapshot } from '../router.js';
import { agreedSplit, commonPools, settledAll } from './plan.js';

export interface FleetInstance {
  name: string;
  router: Router;
}

export function fleetRouter(instances: readonly FleetInstance[]): Router {
  if (instances.length === 0) throw new Error('a fleet needs at least one instance');
  const names = instances.map((instance) => instance.name);
  const kind = instances[0]!.router.kind;

  /** `step` on every instance at once; every one runs to its end, then one error names each that failed. */
  const onEach = async <T>(step: (router: Router, index: number) => Promise<T>): Promise<T[]> =>
    settledAll(names, await Promise.allSettled(instances.map((instance, index) => step(instance.router, index))));
  const agreed = (splits: Split[]) => agreedSplit(splits.map((split, index) => ({ name: names[index]!, split })));
  const pools = async () => commonPools(await onEach((router) => router.pools()));

  const traffic = instances.every((instance) => instance.router.traffic)
    ? (): TrafficReader => {
        const readers = instances.map((instance) => instance.router.traffic!());
        return {
          describe: () => readers.map((reader, index) => `${names[index]}: ${reader.describe()}`).join('; '),
          // The users' requests went through one instance or another: the fleet's traffic is their sum.
          read: async () => (await Promise.all(readers.map((reader) => reader.read()))).flat(),
        };
      }
    : undefined;

  return {
    kind,
    describe: () => `${instances.length} ${kind} instances: ${instances.map((instance) => `${instance.name} (${instance.router.describe()})`).join(', ')}`,
    pools,
    read: async () => agreed(await onEach((router) => router.read())),
    async snapshot(): Promise<RouterSnapshot> {
      const snapshots = await onEach((router) => router.snapshot());
      // Drift is refused here, before anything changes.
      const split = agreed(snapshots.map((snapshot) => snapshot.split));
      return {
        split,
        // Every instance is put back, each to its own state, even when one of them fails.
        restore: async () => void (await onEach((_router, index) => snapshots[index]!.restore())),
      };
    },
    async apply(next: Split): Promise<Split> {
      const known = await pools();
      // In parallel: an HA pair serves a mix of old and new for as long as one change takes, not two.
      const reads = await onEach(async (router) => {
        const after = checkedRead(router, await router.apply(next), known);
        const expected = router.expected(next);
        if (!sameSplit(after, expected)) throw new Error(`read back ${formatSplit(after)}, expected ${formatSplit(expected)}`);
        return after;
      });
      return agreed(reads);
    },
    expected: (next) => instances[0]!.router.expected(next),
    check: async (next: Split) => {
      await Promise.all(
        instances.map(async ({ name, router }) =>
          router.check?.(next).catch((error: unknown) => Promise.reject(new Error(`${name}: ${errorMessage(error)}`, { cause: error }))),
        ),
      );
    },
    async converge(next: Split) {
      const known = await pools();
      const snapshots = await onEach((router) => router.snapshot());
      const before = snapshots.map((snapshot, index) => ({ name: names[index]!, split: snapshot.split }));
      if (before.every((read) => sameSplit(read.split, before[0]!.split))) return { converged: false, before };
      const target = targetSplit(snapshots[0]!.split, next);
      validateSplit(target, known, 'converge');
      const what = `converging ${before.map((read) => `${read.name} ${formatSplit(read.split)}`).join(', ')} -> ${formatSplit(target)}`;
      try {
        await onEach(async (router, index) => {
          if (sameSplit(snapshots[index]!.split, target)) return;
          const after = checkedRead(router, await router.apply(target), known);
          const expected = router.expected(target);
          if (!sameSplit(after, expected)) throw new Error(`read back ${formatSplit(after)}, expected ${formatSplit(expected)}`);
        });
      } catch (cause) {
        // Every instance back to its own state, each read back to make sure.
        let restoreError: unknown;
        try {
          await onEach(async (router, index) => {
            await snapshots[index]!.restore();
            const now = await router.read();
            if (!sameSplit(now, snapshots[index]!.split)) throw new Error(`read back ${formatSplit(now)} after restoring`);
          });
        } catch (error) {
          restoreError = error;
        }
        const failed = `${what} failed: ${errorMessage(cause)}`;
        if (restoreError !== undefined)
          throw new RouterError(`${failed}; restoring each instance ALSO FAILED: ${errorMessage(restoreError)}`, cause, restoreError);
        throw new RouterError(`${failed}; each instance restored`, cause);
      }
      return { converged: true, before };
    },
    ...(instances.some((instance) => instance.router.hostReleases)
      ? {
          async hostReleases(): Promise<HostRelease[]> {
            // Host names as the environment file gives them: the watch finds their addresses by name.
            return (await onEach(async (router) => (router.hostReleases ? router.hostReleases() : []))).flat();
          },
        }
      : {}),
    ...(traffic ? { traffic } : {}),
  };
}

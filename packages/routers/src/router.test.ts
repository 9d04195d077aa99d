import { describe, expect, it } from 'vitest';
import { formatSplit, type Split } from '@cutover/config';
import { dryRunRouter } from './dry-run.js';
import { applySplit, checkedRouter, forEachAttempted, RouterError, targetSplit, type Router } from './router.js';

/** A router held in memory, to test applySplit's all-or-nothing logic (real routers: test/routers-*.test.ts). */
function memoryRouter(initial: Split, faults: { apply?: Error; readBack?: Split } = {}): Router & { state: Split; applied: Split[] } {
  const router = {
    kind: 'command' as const,
    state: { ...initial },
    applied: [] as Split[],
    describe: () => 'memory',
    pools: async () => ['blue', 'green'],
    read: async () => ({ ...router.state }),
    snapshot: async () => {
      const saved = { ...router.state };
      return { split: saved, restore: async () => void (router.state = { ...saved }) };
    },
    apply: async (next: Split) => {
      router.applied.push(next);
      router.state = { ...next };
      if (faults.apply) throw faults.apply;
      return faults.readBack ?? { ...router.state };
    },
    expected: (next: Split) => next,
  };
  return router;
}

describe('applySplit', () => {
  it('completes the split with the pools at 0 and returns before and after', async () => {
    const router = memoryRouter({ blue: 100, green: 0 });
    expect(targetSplit({ blue: 100, green: 0 }, { green: 100 })).toEqual({ blue: 0, green: 100 });
    expect(await applySplit(router, { green: 100 })).toEqual({ before: { blue: 100, green: 0 }, after: { blue: 0, green: 100 }, changed: true });
  });

  it('touches nothing when the split is already in place', async () => {
    const router = memoryRouter({ blue: 100, green: 0 });
    expect(await applySplit(router, { blue: 100 })).toMatchObject({ changed: false });
    expect(router.applied).toEqual([]);
  });

  it('refuses an unknown pool or a bad sum before any change, naming the field', async () => {
    const router = memoryRouter({ blue: 100, green: 0 });
    await expect(applySplit(router, { purple: 100 }, 'to')).rejects.toThrow('to: pool "purple" is not in pools (blue, green)');
    await expect(applySplit(router, { green: 50 }, 'to')).rejects.toThrow('to: weights sum to 50');
    expect(router.applied).toEqual([]);
  });

  it('restores the previous state when applying fails, carrying the cause', async () => {
    const cause = new Error('nginx: [emerg] broken');
    const router = memoryRouter({ blue: 100, green: 0 }, { apply: cause });
    const error = await applySplit(router, { green: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).cause).toBe(cause);
    expect((error as Error).message).toBe(
      'memory: switching {blue: 100, green: 0} -> {blue: 0, green: 100} failed: nginx: [emerg] broken; restored {blue: 100, green: 0}',
    );
    expect(router.state).toEqual({ blue: 100, green: 0 });
  });

  it('refuses a read no router can serve before any change, naming the router and what it read', async () => {
    for (const [read, why] of [
      [{ blue: 100, green: 50 }, 'weights sum to 150, not 100'],
      [{ blue: 110, green: -10 }, 'blue has weight 110'],
      [{ blue: Infinity, green: 0 }, 'blue has weight Infinity'],
      [{ blue: 50.5, green: 49.5 }, 'blue has weight 50.5'],
      [{ blue: 50, purple: 50 }, 'pool "purple" is not in pools (blue, green)'],
    ] as [Split, string][]) {
      const router = memoryRouter(read);
      await expect(applySplit(router, { green: 100 })).rejects.toThrow(`memory: read ${formatSplit(read)}, not a split it can serve: ${why}`);
      await expect(checkedRouter(router).read()).rejects.toThrow(why);
      expect(router.applied).toEqual([]);
    }
  });

  it('reads "no pool takes traffic" (every weight 0) as a state to recover from', async () => {
    const router = memoryRouter({ blue: 0, green: 0 });
    expect(await checkedRouter(router).read()).toEqual({ blue: 0, green: 0 });
    expect(await applySplit(router, { green: 100 })).toMatchObject({ after: { blue: 0, green: 100 } });
    await expect(checkedRouter(memoryRouter({ purple: 0 })).read()).rejects.toThrow(
      'memory: read {purple: 0}, not a split it can serve: pool "purple" is not in pools (blue, green)',
    );
  });

  it('says ALSO FAILED when the router does not read as it was after restoring', async () => {
    const router = memoryRouter({ blue: 100, green: 0 }, { apply: new Error('refused') });
    const snapshot = router.snapshot;
    router.snapshot = async () => ({ ...(await snapshot()), restore: async () => void (router.state = { blue: 50, green: 50 }) });
    await expect(applySplit(router, { green: 100 })).rejects.toThrow(
      'failed: refused; restoring {blue: 100, green: 0} ALSO FAILED: read back {blue: 50, green: 50} after restoring',
    );
  });

  it('restores when the read-back differs from what was asked', async () => {
    const router = memoryRouter({ blue: 100, green: 0 }, { readBack: { blue: 50, green: 50 } });
    await expect(applySplit(router, { green: 100 })).rejects.toThrow('read back {blue: 50, green: 50}, expected {blue: 0, green: 100}');
    expect(router.state).toEqual({ blue: 100, green: 0 });
  });
});

describe('forEachAttempted', () => {
  it('tries every item after failures, then throws one error naming each failure', async () => {
    const done: string[] = [];
    const step = async (host: string) => {
      if (host !== 'web2') throw new Error(`host ${host}: refused`);
      done.push(host);
    };
    await expect(forEachAttempted(['web1', 'web2', 'web3'], step)).rejects.toThrow('host web1: refused; host web3: refused');
    expect(done).toEqual(['web2']);
    await expect(forEachAttempted(['web1'], step)).rejects.toThrow(/^host web1: refused$/);
    await expect(forEachAttempted(['web2'], step)).resolves.toBeUndefined();
  });
});

describe('dryRunRouter', () => {
  it('plans through applySplit: reads for real, records each split, changes nothing', async () => {
    const router = memoryRouter({ blue: 100, green: 0 });
    const dry = dryRunRouter(router);
    expect(await applySplit(dry, { green: 25, blue: 75 })).toEqual({ before: { blue: 100, green: 0 }, after: { blue: 75, green: 25 }, changed: true });
    expect(await applySplit(dry, { green: 100 })).toMatchObject({ before: { blue: 100, green: 0 }, after: { blue: 0, green: 100 } });
    expect(dry.planned).toEqual([
      { blue: 75, green: 25 },
      { blue: 0, green: 100 },
    ]);
    expect(router.applied).toEqual([]);
    expect(router.state).toEqual({ blue: 100, green: 0 });
  });

  it('answers what the router would read back, and refuses what a real run refuses', async () => {
    const router = {
      ...memoryRouter({ blue: 100, green: 0 }),
      expected: (next: Split) => ({ blue: next.blue! >= 50 ? 100 : 50, green: next.blue! >= 50 ? 0 : 50 }),
    };
    const dry = dryRunRouter(router);
    expect((await applySplit(dry, { blue: 20, green: 80 })).after).toEqual({ blue: 50, green: 50 });
    await expect(applySplit(dry, { red: 100 })).rejects.toThrow(/red/);
    expect(dry.describe()).toBe('memory (dry run)');
  });
});

describe('dryRunRouter and a router that checks a split first', () => {
  it('refuses in the plan what the real apply refuses, before recording anything', async () => {
    const router = {
      ...memoryRouter({ blue: 100, green: 0 }),
      check: async (next: Split) => {
        if (next.green) throw new Error('pools.green: none of its addresses is a server');
      },
    };
    const dry = dryRunRouter(router);
    await expect(applySplit(dry, { green: 100 })).rejects.toThrow('pools.green: none of its addresses is a server');
    expect(dry.planned).toEqual([]);
  });
});

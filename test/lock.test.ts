// The deployment lock's GitHub side against the stand-in (every call checked against GitHub's
// OpenAPI description): a branch cutover-lock/<environment> with cutover-lock.json, taken in turn,
// preempted, released, and the branch gone when nobody holds or waits.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, EnvironmentLock, LOCK_FILE, parseLock, type LockParty, type LockState } from '@cutover/github';
import { startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';

let gh: GitHubStandIn;
let stateDir: string;

function party(run: number, action: string, job: string): LockParty {
  return {
    id: `${run}/${job}`,
    action,
    workflow: 'deliver',
    run,
    runNumber: run - 100,
    attempt: 1,
    job,
    actor: 'octocat',
    url: `https://github.com/octo-org/app/actions/runs/${run}`,
    sha: gh.store.refs.get('heads/main')!,
    since: new Date().toISOString(),
  };
}

function lockOf(me: LockParty, token = gh.token): EnvironmentLock {
  return new EnvironmentLock(createGitHubClient(token, { baseUrl: gh.apiUrl })!, { owner: gh.owner, repo: gh.repo }, 'production', me);
}

function fileState(): LockState | undefined {
  const bytes = gh.store.fileAt('cutover-lock/production', LOCK_FILE);
  if (!bytes) return undefined;
  const state = parseLock(bytes.toString(), 'production');
  if ('unreadable' in state) throw new Error(state.unreadable);
  return state;
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'cutover-lock-state-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});
beforeEach(async () => {
  gh = await startGitHubStandIn();
  // core.saveState writes here, as on a runner (not to the test's output).
  process.env.GITHUB_STATE = join(stateDir, 'state');
  await writeFile(process.env.GITHUB_STATE, '');
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
  delete process.env.GITHUB_STATE;
});

describe('the environment lock on GitHub', () => {
  it('is a branch people can see with a file naming the holder; the second run waits its turn and takes it when the first lets go', async () => {
    const first = lockOf(party(101, 'canary-step', 'production'));
    const second = lockOf(party(102, 'canary-step', 'production'));
    expect(await first.acquire({ timeoutMs: 60_000 })).toEqual({ waitedMs: expect.any(Number), waitedFor: [] });
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(true);
    expect(fileState()).toMatchObject({
      holder: { id: '101/production', action: 'canary-step', url: 'https://github.com/octo-org/app/actions/runs/101' },
      queue: [],
    });

    const lines: string[] = [];
    const waiting = second.acquire({ timeoutMs: 60_000, log: (line) => lines.push(line) });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fileState()).toMatchObject({ holder: { id: '101/production' }, queue: [{ id: '102/production' }] });
    expect(await first.release()).toEqual({ released: true });
    const acquired = await waiting;
    expect(acquired.waitedFor.map((holder) => holder.id)).toEqual(['101/production']);
    expect(acquired.waitedMs).toBeGreaterThan(2_000);
    expect(lines[0]).toMatch(
      /^Waiting for the production lock, held by deliver #1 \(canary-step, job production, by octocat, since .*\): https:\/\/github\.com\/octo-org\/app\/actions\/runs\/101: \d+m?s of lock-timeout 1m\.$/,
    );
    expect(fileState()).toMatchObject({ holder: { id: '102/production' }, queue: [] });

    // The last one out deletes the branch.
    expect(await second.release()).toEqual({ released: true });
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
    expect(await second.release()).toEqual({ released: false });
  }, 30_000);

  it('takes a free lock in two calls, the branch created then the file written; a held one, or a branch without its file, is read after the refused create-ref', async () => {
    const calls = (from: number) => gh.requests.slice(from).map((request) => `${request.operationId} ${request.status}`);
    await lockOf(party(101, 'canary-step', 'production')).acquire({ timeoutMs: 1_000 });
    // Reading first cost 4: get-content 404, a put 404 for the missing branch, create-ref, the put again.
    expect(calls(0)).toEqual(['git/create-ref 201', 'repos/create-or-update-file-contents 201']);
    expect(fileState()).toMatchObject({ holder: { id: '101/production' } });

    // The same job's next action: the branch is there, the file says it holds the lock already.
    let from = gh.requests.length;
    await lockOf(party(101, 'rollback', 'production')).acquire({ timeoutMs: 1_000 });
    expect(calls(from)).toEqual(['git/create-ref 422', 'repos/get-content 200']);
    expect(await lockOf(party(101, 'canary-step', 'production')).release()).toEqual({ released: true });

    // A branch whose creator died before writing the file: free, taken by writing the file on it.
    gh.store.setRef('heads/cutover-lock/production', gh.store.refs.get('heads/main')!);
    from = gh.requests.length;
    await lockOf(party(102, 'canary-step', 'production')).acquire({ timeoutMs: 1_000 });
    expect(calls(from)).toEqual(['git/create-ref 422', 'repos/get-content 404', 'repos/create-or-update-file-contents 201']);
    expect(fileState()).toMatchObject({ holder: { id: '102/production' } });
  });

  it('rollback preempts the holder and says so; the preempted run reads who moved traffic when it lets go', async () => {
    const canary = lockOf(party(101, 'canary-step', 'production'));
    const rollback = lockOf(party(201, 'rollback', 'rollback'));
    await canary.acquire({ timeoutMs: 1_000 });
    expect(await rollback.preempt()).toEqual({ preempted: expect.objectContaining({ id: '101/production' }) });
    expect(fileState()).toMatchObject({ holder: { id: '201/rollback' }, preempted: { holder: { id: '101/production' }, by: { id: '201/rollback' } } });
    // The rollback lets go first: free, the record kept for the canary.
    expect(await rollback.release()).toEqual({ released: true });
    expect(fileState()).toMatchObject({ holder: null, preempted: { by: { id: '201/rollback' } } });
    expect(await canary.release()).toEqual({ released: false, preemptedBy: expect.objectContaining({ id: '201/rollback', action: 'rollback' }) });
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
  });

  it('gives up at lock-timeout naming the holder, and leaves the queue', async () => {
    const holder = lockOf(party(101, 'blue-green-switch', 'staging'));
    await holder.acquire({ timeoutMs: 1_000 });
    const waiter = lockOf(party(102, 'blue-green-switch', 'staging'));
    await expect(waiter.acquire({ timeoutMs: 2_500, log: () => {} })).rejects.toThrow(
      /^lock-timeout: waited 2\.5s for the production lock, still held by deliver #1 \(blue-green-switch, job staging, by octocat, since .*\): https:\/\/github\.com\/octo-org\/app\/actions\/runs\/101; nothing was changed\. If that run is gone, delete the branch cutover-lock\/production to release it; or raise lock-timeout\.$/,
    );
    expect(fileState()).toMatchObject({ holder: { id: '101/staging' }, queue: [] });
  });

  it('stops waiting at once when the run is cancelled', async () => {
    await lockOf(party(101, 'canary-step', 'production')).acquire({ timeoutMs: 1_000 });
    const controller = new AbortController();
    const waiting = lockOf(party(102, 'canary-step', 'production')).acquire({ timeoutMs: 60_000, signal: controller.signal, log: () => {} });
    setTimeout(() => controller.abort(new Error('cancelled')), 500);
    await expect(waiting).rejects.toThrow('cancelled');
  });

  it("a read-only token (a fork's) cannot take it: GitHub answers 403", async () => {
    await expect(lockOf(party(101, 'canary-step', 'production'), gh.readOnlyToken).acquire({ timeoutMs: 1_000 })).rejects.toMatchObject({ status: 403 });
  });
});

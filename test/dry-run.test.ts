// dry-run: true on the three traffic actions, against real HAProxy, nginx and symlink hosts over sshd:
// the router is left byte for byte (server states, the upstream file, every link) and GitHub gets no
// write; then a real run with the same inputs does exactly the plan's transitions, in order.
import { mkdir, readdir, readFile, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActionRun,
  type Backend,
  haproxyCommand,
  makeWorkspace,
  runAction,
  startBackend,
  startGitHubStandIn,
  startHaproxy,
  startNginx,
  startSshd,
} from '@cutover/testkit';
import { healthz, runSwitch } from './blue-green-setup.js';
import { canaryHealth, runCanary } from './canary-setup.js';

interface Plan {
  dryRun: boolean;
  action: string;
  before: Record<string, number>;
  transitions: { split: Record<string, number>; what: string }[];
  notes: string[];
}

const planOf = (run: ActionRun): Plan => JSON.parse(run.outputs.plan!) as Plan;
const formatSplit = (split: Record<string, number>) =>
  `{${Object.entries(split)
    .map(([pool, weight]) => `${pool}: ${weight}`)
    .join(', ')}}`;
/** What `core.debug` said: the runner shows it on a debug re-run (ACTIONS_STEP_DEBUG). */
const debug = (run: ActionRun) => run.commands.filter((command) => command.command === 'debug').map((command) => command.message);
const writes = (requests: { method: string }[]) => requests.filter((request) => request.method !== 'GET').length;

let blue: Backend;
let green: Backend;

beforeAll(async () => {
  blue = await startBackend({ pool: 'blue', version: 'v1' });
  green = await startBackend({ pool: 'green', version: 'v2' });
});

afterAll(async () => {
  await blue?.stop();
  await green?.stop();
});

describe('dry-run on HAProxy', () => {
  it('blue-green-switch, canary-step and rollback plan without touching a server or GitHub; the real runs then do the plans', async () => {
    const haproxy = await startHaproxy({
      servers: [
        { name: 'blue1', address: blue.address },
        { name: 'green1', address: green.address, drain: true },
      ],
    });
    const github = await startGitHubStandIn();
    const workspace = await makeWorkspace();
    // Server states without the columns that move on their own (check timers, last change).
    const servers = async () =>
      (await haproxyCommand(haproxy.socket, `show servers state ${haproxy.backend}`))
        .split('\n')
        .filter((line) => /^\d/.test(line))
        .map((line) => line.split(' ').slice(0, 8).join(' '));
    try {
      await workspace.writeEnvironment({
        router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
        pools: { blue: [blue.address], green: [green.address] },
        health: { ...canaryHealth, checks: healthz.checks },
        canary: { steps: [10, 50, 100] },
      });
      const untouched = await servers();

      const dry = await runSwitch(workspace, { 'dry-run': 'true', version: 'v2' }, github);
      expect(dry.errors).toEqual([]);
      const plan = planOf(dry);
      expect(plan).toMatchObject({
        dryRun: true,
        action: 'blue-green-switch',
        before: { blue: 100, green: 0 },
        transitions: [{ split: { blue: 0, green: 100 } }],
      });
      expect(plan.notes.join('\n')).toContain('smoke check of green');
      expect(dry.stdout).toContain('dry-run: blue-green-switch on production changes nothing and records nothing');
      expect(dry.outputs.live).toBeUndefined();
      expect(await servers()).toEqual(untouched);
      expect(writes(github.requests)).toBe(0);

      const real = await runSwitch(workspace, { version: 'v2' }, github);
      expect(real.errors).toEqual([]);
      // A debug re-run explains itself: the router's reads and change, each GitHub call.
      expect(debug(real)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^router read: .*: \{blue: 100, green: 0\}$/),
          expect.stringMatching(/^applySplit: .*: \{blue: 100, green: 0\} -> \{blue: 0, green: 100\} \(to\)$/),
          expect.stringMatching(/^GitHub: POST \/repos\/\{owner\}\/\{repo\}\/deployments answered 201 in \d+ ms$/),
        ]),
      );
      expect(real.stdout).toContain(`Switched and read back: ${formatSplit(plan.transitions[0]!.split)}`);

      // The canary of blue against green, now stable.
      const switched = await servers();
      const dryCanary = await runCanary(workspace, { 'dry-run': 'true', canary: 'blue', 'step-duration': '2s' }, { github });
      expect(dryCanary.errors).toEqual([]);
      const canaryPlan = planOf(dryCanary);
      expect(canaryPlan.transitions.map((transition) => transition.split)).toEqual([
        { blue: 10, green: 90 },
        { blue: 50, green: 50 },
        { blue: 100, green: 0 },
      ]);
      expect(canaryPlan.transitions.map((transition) => transition.what)).toEqual([
        'step 1 of 3: 10% canary, watched for 2s, a look every 250ms, then advance if healthy',
        'step 2 of 3: 50% canary, watched for 2s, a look every 250ms, then promote if healthy',
        'step 3 of 3: 100% canary, promoted',
      ]);
      expect(await servers()).toEqual(switched);
      expect(github.store.deployments).toHaveLength(1);

      const canary = await runCanary(workspace, { canary: 'blue', 'step-duration': '2s' }, { github });
      expect(canary.outputs.result).toBe('promoted');
      expect(debug(canary)).toContainEqual(expect.stringMatching(/^look 1 at \d+ ms: healthz good: target 0\/\d+ failed.*; baseline 0\/\d+ failed/));
      const steps = canary.stdout
        .split('\n')
        .filter((line) => /^Step \d+ of \d+: /.test(line))
        .map((line) => line.replace(/^Step \d+ of \d+: /, ''));
      expect(steps).toEqual(canaryPlan.transitions.map((transition) => formatSplit(transition.split)));

      // Rollback: the history says green was good; a dry run resolves it, reads, writes nothing.
      const deploymentsBefore = github.store.deployments.length;
      const promoted = await servers();
      const writesBefore = writes(github.requests);
      const rollback = (inputs: Record<string, string>) =>
        runAction('rollback', {
          inputs: { environment: 'production', config: 'cutover.yml', ...inputs },
          workspace: workspace.dir,
          apiUrl: github.apiUrl,
          token: github.token,
          repository: `${github.owner}/${github.repo}`,
          ref: 'refs/heads/main',
          sha: 'c'.repeat(40),
        });
      const dryRollback = await rollback({ 'dry-run': 'true' });
      expect(dryRollback.errors).toEqual([]);
      const rollbackPlan = planOf(dryRollback);
      expect(rollbackPlan).toMatchObject({ action: 'rollback', before: { blue: 100, green: 0 }, transitions: [{ split: { blue: 0, green: 100 } }] });
      expect(rollbackPlan.notes.join('\n')).toContain('would open an incident issue');
      expect(await servers()).toEqual(promoted);
      expect(writes(github.requests)).toBe(writesBefore);
      expect(github.store.deployments).toHaveLength(deploymentsBefore);

      const real2 = await rollback({});
      expect(real2.errors).toEqual([]);
      expect(real2.stdout).toContain(`traffic moved from ${formatSplit(rollbackPlan.before)} to ${formatSplit(rollbackPlan.transitions[0]!.split)}`);
      github.assertNoViolations();
    } finally {
      await haproxy.stop();
      await github.stop();
      await workspace.remove();
    }
  });
});

describe('dry-run on nginx', () => {
  it('leaves the upstream file byte for byte, also for a rollback without a token; the real runs do the plans', async () => {
    const nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
    const workspace = await makeWorkspace();
    try {
      await workspace.writeEnvironment({
        router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
        pools: { blue: [blue.address], green: [green.address] },
        health: healthz,
      });
      const file = await readFile(nginx.upstreamFile);

      const dry = await runSwitch(workspace, { 'dry-run': 'true' });
      expect(dry.errors).toEqual([]);
      const plan = planOf(dry);
      expect(plan.transitions.map((transition) => transition.split)).toEqual([{ blue: 0, green: 100 }]);
      expect(plan.notes).toContain('no token: the deployment would not be recorded on GitHub');
      expect(await readFile(nginx.upstreamFile)).toEqual(file);
      const real = await runSwitch(workspace, {});
      expect(real.stdout).toContain(`Switched and read back: ${formatSplit(plan.transitions[0]!.split)}`);

      const switched = await readFile(nginx.upstreamFile);
      const rollback = (inputs: Record<string, string>) =>
        runAction('rollback', { inputs: { environment: 'production', config: 'cutover.yml', to: 'blue', ...inputs }, workspace: workspace.dir });
      const dryRollback = await rollback({ 'dry-run': 'true' });
      expect(dryRollback.errors).toEqual([]);
      const rollbackPlan = planOf(dryRollback);
      expect(rollbackPlan.transitions.map((transition) => transition.split)).toEqual([{ blue: 100, green: 0 }]);
      expect(await readFile(nginx.upstreamFile)).toEqual(switched);
      expect(dryRollback.outputs['rolled-back-to']).toBeUndefined();
      const realRollback = await rollback({});
      expect(realRollback.stdout).toContain(`traffic moved from {blue: 0, green: 100} to ${formatSplit(rollbackPlan.transitions[0]!.split)}`);
    } finally {
      await nginx.stop();
      await workspace.remove();
    }
  });
});

describe('dry-run on symlink hosts over sshd', () => {
  it('moves no link and restarts nothing; the real switch then moves every host as planned', async () => {
    const sshd = await startSshd();
    const workspace = await makeWorkspace();
    const hosts = ['web1', 'web2'];
    const current = (host: string) => join(workspace.dir, host, 'current');
    const links = () => Promise.all(hosts.map(async (host) => (await readlink(current(host))).split('/').pop()));
    try {
      for (const host of hosts) {
        for (const release of ['1.0.0', '1.1.0']) await mkdir(join(workspace.dir, host, 'releases', release), { recursive: true });
        await symlink(join(workspace.dir, host, 'releases', '1.0.0'), current(host));
      }
      await workspace.writeEnvironment({
        router: {
          kind: 'symlink',
          'releases-dir': join(workspace.dir, 'web1', 'releases'),
          current: current('web1'),
          restart: ['touch', join(workspace.dir, 'restarted-{host}-{version}')],
          hosts: hosts.map((host) => ({ name: host, ssh: sshd.ssh, 'releases-dir': join(workspace.dir, host, 'releases'), current: current(host) })),
        },
        pools: { web: ['127.0.0.1:8080'] },
      });
      const dry = await runSwitch(workspace, { 'dry-run': 'true', version: '1.1.0' });
      expect(dry.errors).toEqual([]);
      const plan = planOf(dry);
      expect(plan).toMatchObject({ before: { '1.0.0': 100 }, transitions: [{ split: { '1.0.0': 0, '1.1.0': 100 } }] });
      expect(await links()).toEqual(['1.0.0', '1.0.0']);
      const restarted = async () => (await readdir(workspace.dir)).filter((name) => name.startsWith('restarted-'));
      expect(await restarted()).toEqual([]);

      const real = await runSwitch(workspace, { version: '1.1.0' });
      expect(real.errors).toEqual([]);
      // A symlink router reads only the releases hosts serve; the plan names the one it leaves at 0 too.
      const serving = Object.fromEntries(Object.entries(plan.transitions[0]!.split).filter(([, weight]) => weight > 0));
      expect(real.stdout).toContain(`Switched and read back: ${formatSplit(serving)}`);
      expect(await links()).toEqual(['1.1.0', '1.1.0']);
    } finally {
      await sshd.stop();
      await workspace.remove();
    }
  });
});

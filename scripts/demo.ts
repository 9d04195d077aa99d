/**
 * npm run demo: the whole pipeline of examples/workflows/deliver.yml on this machine, with the
 * bundled actions run as processes exactly as the runner runs them.
 *
 *   release 1.0.0: test-gate -> build-candidate -> rollout machine by machine (4 hosts) -> health-watch
 *   release 1.1.0: test-gate -> build-candidate -> canary-step promotes it step by step
 *   release 1.2.0: test-gate -> build-candidate -> canary-step catches a fault -> rollback to 1.1.0
 * It exits non-zero when the story does not happen so (a fault promoted, a good release aborted).
 *
 * --router symlink (default): four local "machines", each serving the release its `current` link
 *   names; the symlink router moves the links host by host.
 * --router nginx | haproxy: blue and green pools behind a real nginx or HAProxy (when installed),
 *   weighted traffic. --keep leaves the temp directory for a look.
 * Without GITHUB_TOKEN the actions skip GitHub records and say so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractCandidate } from '@cutover/candidate';
import { freePort, repoRoot, runAction, startHaproxy, startNginx, type ActionRun, type Haproxy, type Nginx } from '@cutover/testkit';

const args = process.argv.slice(2);
const routerKind = args.includes('--router') ? args[args.indexOf('--router') + 1] : 'symlink';
const keep = args.includes('--keep');
if (!['symlink', 'nginx', 'haproxy'].includes(routerKind ?? '')) {
  console.error(`--router: expected symlink, nginx or haproxy, got "${routerKind}"`);
  process.exit(2);
}

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const timeline: string[] = [];
function say(line: string): void {
  const entry = `${clock()}  ${line}`;
  timeline.push(entry);
  console.log(entry);
}
function detail(line: string): void {
  console.log(`           ${line}`);
}

const root = mkdtempSync(join(tmpdir(), 'cutover-demo-'));
const app = join(root, 'app');
const children: ChildProcess[] = [];
const servers: (Nginx | Haproxy)[] = [];
const token = process.env.GITHUB_TOKEN ?? '';

async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.stop()));
  if (!keep) rmSync(root, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));

/** Runs one bundled action in the sample app's workspace; prints its errors and warnings. */
async function step(action: string, inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction(action, {
    // test-gate and build-candidate read no environment file: they have no config input.
    inputs: { ...(['test-gate', 'build-candidate'].includes(action) ? {} : { config: '.github/cutover.yml' }), ...inputs },
    workspace: app,
    token,
    sha: gitHead(),
    post: action === 'canary-step',
  });
  for (const error of run.errors) detail(`error: ${error}`);
  for (const warning of run.warnings) detail(`warning: ${warning.split('\n')[0]}`);
  return run;
}

function git(...argv: string[]): string {
  const result = spawnSync('git', argv, {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.com' },
  });
  if (result.status !== 0) throw new Error(`git ${argv.join(' ')}: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
}
const gitHead = () => git('rev-parse', 'HEAD');

/** A host process (scripts/demo/host-server.mjs) serving the release its `current` link names. */
async function startHost(name: string, current: string, port: number): Promise<void> {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo', 'host-server.mjs'), name, current, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}`)));
  });
}

/**
 * Copies a candidate's files to each host's releases dir, verified against its manifest; with
 * `link`, also points the host's `current` at it (a deploy job's work on an idle pool).
 */
async function ship(archive: string, manifest: string, version: string, hosts: string[], link: boolean): Promise<void> {
  for (const host of hosts) {
    const release = join(root, 'hosts', host, 'releases', version);
    await extractCandidate(archive, manifest, release);
    if (link) {
      const current = join(root, 'hosts', host, 'current');
      symlinkSync(release, `${current}.new`);
      renameSync(`${current}.new`, current);
    }
  }
}

/** nginx applies a reload a moment after it returns; let the new workers take over. */
const settle = () => new Promise((resolve) => setTimeout(resolve, routerKind === 'nginx' ? 500 : 0));

/** Traffic through the router, or straight at the hosts: which versions answer, and how often it fails. */
async function sample(urls: string[], count = 40): Promise<string> {
  const seen = new Map<string, number>();
  let failed = 0;
  for (let index = 0; index < count; index++) {
    try {
      const response = await fetch(`${urls[index % urls.length]}/`, { signal: AbortSignal.timeout(2000) });
      const body = (await response.json().catch(() => ({}))) as { version?: string };
      if (response.status !== 200) failed++;
      else seen.set(body.version ?? '?', (seen.get(body.version ?? '?') ?? 0) + 1);
    } catch {
      failed++;
    }
  }
  return `${[...seen].map(([version, n]) => `${version}: ${n}`).join(', ')}${failed ? `, failed: ${failed}` : ''} (of ${count})`;
}

function writeAppVersion(version: string, fault: boolean): void {
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { version: string };
  pkg.version = version;
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  if (fault) {
    // The bug: a cache that answers 500 for one request in four. The unit tests do not see it.
    const handler = readFileSync(join(app, 'handler.js'), 'utf8').replace(
      "  response.writeHead(200, { 'content-type': 'application/json' });",
      "  if (served % 4 === 0) {\n    response.writeHead(500, { 'content-type': 'text/plain' });\n    return response.end('cache miss\\n');\n  }\n  response.writeHead(200, { 'content-type': 'application/json' });",
    );
    writeFileSync(join(app, 'handler.js'), handler);
  }
  git('commit', '-qam', `Release ${version}${fault ? ' (with a cache)' : ''}`);
}

async function deliver(version: string): Promise<{ archive: string; manifest: string } | undefined> {
  say(bold(`release ${version}: commit ${gitHead().slice(0, 7)}`));
  const gate = await step('test-gate', { command: 'npm test --silent', results: 'test-results/*.xml' });
  say(`test-gate: ${gate.outputs.conclusion} (${gate.outputs.passed}/${gate.outputs.total} passed)`);
  if (gate.exitCode !== 0) return undefined;
  // require-gate reads the gate's check run on GitHub; without a token the gate above is the proof.
  const candidate = await step('build-candidate', {
    path: 'handler.js\npackage.json',
    name: 'demo-app',
    version,
    publish: 'none',
    'require-gate': token ? 'true' : 'false',
  });
  if (candidate.exitCode !== 0) return undefined;
  say(`build-candidate: ${candidate.outputs.version}, ${candidate.outputs.digest?.slice(0, 19)}…`);
  return { archive: candidate.outputs.archive!, manifest: candidate.outputs.manifest! };
}

async function main(): Promise<void> {
  console.log(bold(`Cutover demo: the deliver.yml pipeline on this machine, router ${routerKind}`));
  console.log(token ? 'GitHub records: with GITHUB_TOKEN.' : 'GitHub records: skipped (no GITHUB_TOKEN); each action says so.');
  cpSync(join(repoRoot, 'examples', 'demo-app'), app, { recursive: true });
  mkdirSync(join(app, '.github'), { recursive: true });
  writeFileSync(join(app, '.gitignore'), 'test-results/\nnode_modules/\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');

  const hosts = ['host1', 'host2', 'host3', 'host4'];
  const ports = await Promise.all(hosts.map(() => freePort()));
  // The judgement at its defaults, as a user writes the file: only the looks come faster (and the
  // steps shorter) than in production, so that the story takes seconds.
  const health = `    health:
      interval: 250ms
      duration: 3s
      checks:
        - name: home
          main: true
          http: { url: "http://{address}/", expect-status: 200, max-latency: 500ms }
`;
  let trafficUrls: string[];
  for (const host of hosts) mkdirSync(join(root, 'hosts', host, 'releases'), { recursive: true });
  for (const [index, host] of hosts.entries()) await startHost(host, join(root, 'hosts', host, 'current'), ports[index]!);
  const address = (index: number) => `127.0.0.1:${ports[index]}`;
  if (routerKind === 'symlink') {
    writeFileSync(
      join(app, '.github', 'cutover.yml'),
      `environments:
  production:
    router:
      kind: symlink
      releases-dir: /unused
      current: /unused
      hosts:
${hosts.map((host, index) => `        - { name: ${host}, releases-dir: ${join(root, 'hosts', host, 'releases')}, current: ${join(root, 'hosts', host, 'current')}, probe: "http://${address(index)}/healthz" }`).join('\n')}
    pools:
${hosts.map((host, index) => `      ${host}: [${address(index)}]`).join('\n')}
${health}    canary:
      steps: [25, 50, 100]
      step-duration: 3s
`,
    );
    trafficUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  } else {
    // Two pools of two hosts behind a real load balancer: blue takes the traffic, green is idle.
    const pools = { blue: [address(0), address(1)], green: [address(2), address(3)] };
    let router: string;
    if (routerKind === 'nginx') {
      const nginx = await startNginx({ servers: [...pools.blue.map((a) => ({ address: a })), ...pools.green.map((a) => ({ address: a, down: true }))] });
      servers.push(nginx);
      router = `{ kind: nginx, upstream-file: ${nginx.upstreamFile}, upstream: ${nginx.upstream}, test: ${JSON.stringify(nginx.test)}, reload: ${JSON.stringify(nginx.reload)} }`;
      trafficUrls = [nginx.url];
    } else {
      const haproxy = await startHaproxy({
        servers: [
          ...pools.blue.map((a, i) => ({ name: `blue${i + 1}`, address: a, weight: 100 })),
          ...pools.green.map((a, i) => ({ name: `green${i + 1}`, address: a, weight: 0 })),
        ],
      });
      servers.push(haproxy);
      router = `{ kind: haproxy, socket: ${haproxy.socket}, backend: ${haproxy.backend} }`;
      trafficUrls = [haproxy.url];
    }
    writeFileSync(
      join(app, '.github', 'cutover.yml'),
      `environments:
  production:
    router: ${router}
    pools:
      blue: [${pools.blue.join(', ')}]
      green: [${pools.green.join(', ')}]
${health}    canary:
      steps: [10, 50, 100]
      step-duration: 3s
`,
    );
  }
  git('add', '-A');
  git('commit', '-qm', 'demo-app 1.0.0');
  say(`four hosts up (${ports.map((port) => `127.0.0.1:${port}`).join(', ')}), no release deployed yet`);
  const pooled = routerKind !== 'symlink';
  const poolHosts = { blue: [hosts[0]!, hosts[1]!], green: [hosts[2]!, hosts[3]!] };

  // Release 1.0.0: gate, candidate, rollout, watch.
  const first = await deliver('1.0.0');
  if (!first) throw new Error('release 1.0.0 did not pass the gate');
  if (pooled) {
    await ship(first.archive, first.manifest, '1.0.0', poolHosts.green, true);
    say('deployed 1.0.0 on the idle pool green (host3, host4), verified against candidate.json');
  } else {
    await ship(first.archive, first.manifest, '1.0.0', hosts, false);
    say("shipped 1.0.0 to every host's releases dir (verified against candidate.json)");
  }
  const rollout = await step('blue-green-switch', { environment: 'production', version: '1.0.0' });
  if (rollout.exitCode !== 0) throw new Error('the rollout of 1.0.0 failed');
  say(
    pooled
      ? `blue-green-switch: ${rollout.outputs.previous} -> ${rollout.outputs.live}, smoke-checked first, read back after`
      : 'blue-green-switch: 1.0.0 live on every host, one machine after another',
  );
  for (const line of rollout.stdout.split('\n').filter((l) => /^host\d: /.test(l.trim()))) detail(line.trim());
  await settle();
  detail(`traffic: ${await sample(trafficUrls)}`);
  const live = pooled ? rollout.outputs.live! : '1.0.0';
  const watched = await step('health-watch', { environment: 'production', target: live, duration: '3s', interval: '250ms' });
  say(`health-watch: ${live} is ${watched.outputs.verdict}`);
  if (watched.outputs.verdict !== 'healthy') throw new Error(`release 1.0.0 is ${watched.outputs.verdict}`);

  // Release 1.1.0 is good: the canary promotes it step by step. Release 1.2.0 carries a fault
  // its unit tests miss: the canary catches it, and rollback puts back 1.1.0.
  let stable = { version: '1.0.0', pool: live };
  for (const [version, fault] of [
    ['1.1.0', false],
    ['1.2.0', true],
  ] as const) {
    writeAppVersion(version, fault);
    const candidate = await deliver(version);
    if (!candidate) throw new Error(`release ${version} did not pass the gate`);
    const idle = stable.pool === 'green' ? 'blue' : 'green';
    if (pooled) {
      await ship(candidate.archive, candidate.manifest, version, poolHosts[idle], true);
      say(`deployed ${version} on the idle pool ${idle} (${poolHosts[idle].join(', ')})`);
    } else {
      await ship(candidate.archive, candidate.manifest, version, hosts, false);
      say(`shipped ${version} to every host's releases dir`);
    }
    const canary = await step('canary-step', { environment: 'production', version });
    for (const line of canary.stdout.split('\n').filter((l) => /^host\d: /.test(l.trim()))) detail(line.trim());
    say(`canary-step: ${version} ${canary.outputs.result}${canary.outputs.reason ? `: ${canary.outputs.reason}` : ''}`);
    await settle();
    detail(`traffic: ${await sample(trafficUrls)}`);
    if (canary.outputs.result === 'promoted') {
      if (fault) throw new Error(`the canary promoted ${version}, which fails one request in four`);
      stable = { version, pool: pooled ? idle : version };
      continue;
    }
    if (!fault) throw new Error(`the canary did not promote ${version}: ${canary.outputs.reason}`);
    // As deliver.yml's `Roll back` step (if: failure()): back to the last good release.
    const rollback = await step('rollback', {
      environment: 'production',
      to: stable.pool,
      reason: 'canary-step aborted',
      ...(canary.outputs.report ? { report: canary.outputs.report } : {}),
    });
    if (rollback.exitCode !== 0) throw new Error('rollback failed');
    const back = rollback.outputs['rolled-back-to'];
    say(`rollback: ${back}${back === stable.version ? '' : ` (${stable.version})`} takes all traffic`);
    await settle();
    detail(`traffic: ${await sample(trafficUrls)}`);
    const incident = rollback.summary.split('\n');
    const from = incident.findIndex((line) => line.startsWith('## Incident'));
    if (from >= 0) {
      console.log(bold('\nThe incident (rollback opens it as an issue when it has a token):'));
      for (const line of incident.slice(from, from + 45)) console.log(`  | ${line}`);
    }
  }
  console.log(bold('\nTimeline'));
  for (const entry of timeline) console.log(entry);
}

try {
  await main();
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
  if (keep) console.log(`kept ${root}`);
}

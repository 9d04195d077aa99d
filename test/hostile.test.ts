// Hostile input against the bundles (issue #14): what an API, a server, a program or a hand-edited
// file says can neither hang an action, reach a child's environment, issue a workflow command, nor
// make a router report a split it does not serve. Each case runs dist/<action>/index.js as a
// process; the list of every hostile input and where it is tested is in DEVELOPERS.md.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  makeWorkspace,
  poolsOnceSettled,
  runAction,
  startBackend,
  startNginx,
  type ActionRun,
  type Backend,
  type Nginx,
  type Workspace,
} from '@cutover/testkit';

let workspace: Workspace;

beforeEach(async () => {
  workspace = await makeWorkspace();
  return () => workspace.remove();
});

/** A real HTTP server on 127.0.0.1 answering as `handle` does (or never); counts the requests. */
async function server(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const http = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** A command router keeping its split in a JSON file: read prints it, apply takes the new split on stdin. */
function fileRouter(state: string) {
  return { kind: 'command', read: ['cat', state], apply: ['sh', '-c', 'cat > "$1"', 'sh', state] };
}

const pools = { blue: ['127.0.0.1:1'], green: ['127.0.0.1:2'] };

function switchTo(pool: string, options: { apiUrl?: string; token?: string; env?: Record<string, string> } = {}): Promise<ActionRun> {
  return runAction('blue-green-switch', {
    workspace: workspace.dir,
    inputs: { environment: 'production', config: 'cutover.yml', to: pool, smoke: 'false' },
    ...options,
    post: false,
    // Like a job's timeout: a step that hangs is killed here, and `signal` says so.
    timeoutMs: 60_000,
  });
}

/**
 * Lines of the log the runner would read as a command the hostile text wrote: `::` after blanks
 * (the action's own `::error::` lines carry it escaped as data, one line each), `##[` anywhere.
 */
function injectedLines(stdout: string): string[] {
  return stdout
    .split(/\r\n|\r|\n/)
    .filter(
      (line) =>
        /^\s*::(warning|error|notice)::pwned/.test(line) ||
        /^\s*::(set-output|add-mask|stop-commands|save-state|set-env|add-path)\b/.test(line) ||
        line.includes('##['),
    );
}

describe('a GitHub API that accepts and never answers', () => {
  it('costs the switch one 5 s lock call at most, then switches, then one 20 s timeout naming the record', async () => {
    const api = await server(() => {}); // reads each request, never answers
    try {
      const state = join(workspace.dir, 'split.json');
      await writeFile(state, '{"blue": 100, "green": 0}\n');
      await workspace.writeEnvironment({ router: fileRouter(state), pools });
      const run = await switchTo('green', { apiUrl: api.url, token: 'ghs_hostile' });
      expect(run.signal).toBeNull(); // ended on its own, within the job timeout
      expect(run.exitCode).toBe(0);
      expect(run.warnings).toContain(
        'GitHub deployment not recorded: GitHub POST /repos/{owner}/{repo}/deployments: no answer within 20 s. Traffic is where the summary says.',
      );
      expect(JSON.parse(await readFile(state, 'utf8'))).toEqual({ blue: 0, green: 100 });
      expect(run.warnings.some((warning) => warning.includes('lock') && warning.includes('going on without it'))).toBe(true);
      // The lock's one call (5 s: the branch's creation), then the record; a write whose answer never came is never sent again.
      expect(api.seen).toEqual(['POST /repos/octo-org/app/git/refs', 'POST /repos/octo-org/app/deployments']);
    } finally {
      await api.stop();
    }
  });
});

describe('traffic before records: the first GitHub request finds traffic already moved', () => {
  /**
   * An API that notes the split the router serves at each request, then answers 404 at once. The
   * environment lock's requests (the one hand on the traffic, taken before it moves) are not records.
   */
  async function watchingApi(state: string) {
    const splits: string[] = [];
    const api = await server((req, res) => {
      const lock = /cutover-lock|\/git\/refs?\b/.test(req.url ?? '');
      if (!lock) splits.push(readFileSync(state, 'utf8').trim());
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    });
    return { ...api, splits };
  }

  it('blue-green-switch', async () => {
    const state = join(workspace.dir, 'split.json');
    await writeFile(state, '{"blue": 100, "green": 0}\n');
    await workspace.writeEnvironment({ router: fileRouter(state), pools });
    const api = await watchingApi(state);
    try {
      const run = await switchTo('green', { apiUrl: api.url, token: 'ghs_records' });
      expect(run.exitCode).toBe(0);
      expect(api.splits.length).toBeGreaterThan(0);
      for (const split of api.splits) expect(JSON.parse(split)).toEqual({ blue: 0, green: 100 });
    } finally {
      await api.stop();
    }
  });

  it('rollback to a pool', async () => {
    const state = join(workspace.dir, 'split.json');
    await writeFile(state, '{"blue": 0, "green": 100}\n');
    await workspace.writeEnvironment({ router: fileRouter(state), pools });
    const api = await watchingApi(state);
    try {
      const run = await runAction('rollback', {
        workspace: workspace.dir,
        inputs: { environment: 'production', config: 'cutover.yml', to: 'blue' },
        apiUrl: api.url,
        token: 'ghs_records',
        post: false,
        timeoutMs: 60_000,
      });
      expect(run.signal).toBeNull();
      expect(JSON.parse(await readFile(state, 'utf8'))).toEqual({ blue: 100, green: 0 });
      expect(api.splits.length).toBeGreaterThan(0);
      for (const split of api.splits) expect(JSON.parse(split)).toEqual({ blue: 100, green: 0 });
    } finally {
      await api.stop();
    }
  });
});

describe('child processes get a clean environment', () => {
  /** What the runner and the workflow give a step, secrets among them. */
  const job = {
    MY_SETTING: 'kept',
    GITHUB_TOKEN: 'ghs_from_env',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    ACTIONS_CACHE_URL: 'https://cache.example/',
    HOOK_URL: 'http://127.0.0.1:9/hook-secret',
  };
  const secrets = [
    'GITHUB_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'HOOK_URL',
  ];

  function namesIn(file: string): string[] {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
  }

  function expectClean(file: string, withheld = secrets): void {
    const names = namesIn(file);
    expect(names).toContain('MY_SETTING');
    expect(names).toContain('PATH');
    expect(names.filter((name) => name.toUpperCase().startsWith('INPUT_'))).toEqual([]);
    for (const secret of withheld) expect(names, file).not.toContain(secret);
  }

  it("test-gate's command: no token input, no runner credentials", async () => {
    const out = join(workspace.dir, 'test-gate.env');
    const run = await runAction('test-gate', {
      workspace: workspace.dir,
      inputs: { command: `env > ${out}`, results: 'reports/*.xml' },
      token: 'ghs_input_token',
      env: job,
      post: false,
    });
    expect(run.stdout).toContain('Running command');
    // test-gate reads no environment file, so it knows no alert variable: the others are gone.
    expectClean(
      out,
      secrets.filter((name) => name !== 'HOOK_URL'),
    );
  });

  it("health-watch: the command router's read and a command check see no token and no alert variable", async () => {
    const routerEnv = join(workspace.dir, 'router.env');
    const checkEnv = join(workspace.dir, 'check.env');
    await workspace.writeEnvironment({
      router: { kind: 'command', read: ['sh', '-c', 'env > "$1"; echo "blue 100"; echo "green 0"', 'sh', routerEnv], apply: ['true'] },
      pools,
      health: { interval: '250ms', duration: '1s', checks: [{ name: 'env', command: { argv: ['sh', '-c', 'env > "$1"', 'sh', checkEnv] } }] },
      alerts: [{ webhook: { 'url-env': 'HOOK_URL' } }],
    });
    const run = await runAction('health-watch', {
      workspace: workspace.dir,
      inputs: { environment: 'production', config: 'cutover.yml' },
      token: 'ghs_input_token',
      env: job,
      post: false,
    });
    expect(run.stdout).toContain('Watching production pool blue');
    expectClean(routerEnv);
    expectClean(checkEnv);
  });
});

describe('text from outside never becomes a workflow command', () => {
  it("a Prometheus error body and a command check's output are logged marked; the outputs stay the action's", async () => {
    const hostile = 'bad query\n::warning::pwned\n::set-output name=x::y\n  ::add-mask::y\n##[error]pwned';
    const prometheus = await server((_req, res) =>
      res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: hostile })),
    );
    try {
      await workspace.writeEnvironment({
        router: fileRouter(join(workspace.dir, 'unused.json')),
        pools,
        health: {
          interval: '250ms',
          duration: '1s',
          checks: [
            { name: 'errors', prometheus: { url: prometheus.url, query: 'up', max: 1 } },
            { name: 'script', command: { argv: ['sh', '-c', 'echo "::error::pwned"; echo "##[warning]pwned" >&2; exit 1'] } },
          ],
        },
      });
      const run = await runAction('health-watch', {
        workspace: workspace.dir,
        inputs: { environment: 'production', target: 'blue', config: 'cutover.yml' },
        post: false,
      });
      expect(prometheus.seen.length).toBeGreaterThan(0);
      // The hostile words reached the log (so this test can fail), only ever marked.
      expect(run.stdout).toContain('› ::warning::pwned');
      expect(injectedLines(run.stdout)).toEqual([]);
      expect(run.commands.filter((command) => command.command === 'add-mask' || command.command === 'set-output')).toEqual([]);
      expect(Object.keys(run.outputs).sort()).toEqual(['failed-checks', 'report', 'verdict']);
      expect(run.outputs.verdict).not.toBe('healthy');
    } finally {
      await prometheus.stop();
    }
  });
});

describe('router reads are validated like inputs', () => {
  it.each([
    ['{"blue":100,"green":50}', 'weights sum to 150, not 100'],
    ['{"blue":-10,"green":110}', 'blue has weight -10'],
    ['{"blue":1e400,"green":0}', 'blue has weight Infinity'],
    ['{"blue":50.5,"green":49.5}', 'blue has weight 50.5'],
    ['{"blue":50,"purple":50}', 'pool "purple" is not in pools (blue, green)'],
  ])('refuses a command router that reads %s: apply never runs', async (printed, why) => {
    const marker = join(workspace.dir, 'applied');
    await writeFile(join(workspace.dir, 'printed'), printed);
    await workspace.writeEnvironment({ router: { kind: 'command', read: ['cat', join(workspace.dir, 'printed')], apply: ['touch', marker] }, pools });
    const run = await switchTo('green');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`environments.production.router.read: cat ${join(workspace.dir, 'printed')} printed`);
    expect(run.errors[0]).toContain(why);
    expect(existsSync(marker)).toBe(false);
  });

  it('canary-step never says the stable pool takes all traffic when restoring it failed', async () => {
    // Reads well until anything is applied; from then on it reads a split no router can serve.
    const applied = join(workspace.dir, 'applied');
    await workspace.writeEnvironment({
      router: {
        kind: 'command',
        read: ['sh', '-c', 'if [ -e "$1" ]; then echo \'{"blue":100,"green":50}\'; else echo "blue 100"; fi', 'sh', applied],
        apply: ['touch', applied],
      },
      pools,
      health: { interval: '250ms', checks: [{ name: 'ok', command: { argv: ['true'] } }] },
    });
    const run = await runAction('canary-step', {
      workspace: workspace.dir,
      inputs: { environment: 'production', config: 'cutover.yml', 'step-duration': '1s' },
      post: false,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('aborted');
    expect(run.outputs.reason).toContain('ALSO FAILED');
    expect(run.stdout).toContain('canary-step: green aborted at 0%: restoring blue FAILED, traffic may still be split');
    expect(run.summary).not.toContain('takes all traffic again');
  });
});

describe('nginx: the upstream file holds what Cutover wrote, and nothing else', () => {
  let blue: Backend;
  let green: Backend;
  let nginx: Nginx;

  beforeAll(async () => {
    blue = await startBackend({ pool: 'blue', version: 'v1' });
    green = await startBackend({ pool: 'green', version: 'v2' });
  });
  afterAll(async () => {
    await blue?.stop();
    await green?.stop();
  });
  beforeEach(async () => {
    nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
  });
  afterEach(async () => {
    await nginx?.stop();
  });

  const environment = (reload: string[] = nginx.reload) => ({
    router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload },
    pools: { blue: [blue.address], green: [green.address] },
  });

  it.each([
    [
      'an extra server',
      (text: string) => text.replace(/^}$/m, '    server 127.0.0.66:80 weight=100;\n}'),
      'server 127.0.0.66:80 takes traffic but is in no pool',
    ],
    [
      'the hash "#" trick',
      (text: string) => text.replace(/(server \S+ weight=1) down;/, '$1 max_fails=0; hash "#"; server 127.0.0.66:80 weight=100;'),
      'line 3: not a server line',
    ],
  ])('refuses a hand-edited file with %s, naming the file; nothing changes', async (_, edit, why) => {
    const edited = edit(await readFile(nginx.upstreamFile, 'utf8'));
    await writeFile(nginx.upstreamFile, edited);
    await workspace.writeEnvironment(environment());
    const run = await switchTo('green');
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`environments.production.router.upstream-file: ${nginx.upstreamFile}: ${why}`);
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(edited);
  });

  it('puts the previous file back when the file read back is not what Cutover wrote', async () => {
    const before = await readFile(nginx.upstreamFile, 'utf8');
    // The first reload finds a server added to the file under the switch (once).
    const inject = join(workspace.dir, 'inject.sh');
    await writeFile(
      inject,
      '#!/bin/sh\nmarker=$1; file=$2; shift 2\nif [ ! -e "$marker" ]; then touch "$marker"; sed -i \'s/^}$/    server 127.0.0.66:80 weight=100;\\n}/\' "$file"; fi\nexec "$@"\n',
    );
    await chmod(inject, 0o755);
    await workspace.writeEnvironment(environment([inject, join(workspace.dir, 'injected'), nginx.upstreamFile, ...nginx.reload]));
    const run = await switchTo('green');
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`is not what Cutover wrote after the reload: it changed under the switch; restored {blue: 100, green: 0}`);
    expect(existsSync(join(workspace.dir, 'injected'))).toBe(true);
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(before);
    // nginx reloads asynchronously: one answer from blue can come while a worker from the switch
    // still answers green (CI saw it), so 20 in a row first.
    expect(await poolsOnceSettled(nginx.url + '/', 'blue')).toEqual({ blue: 20 });
  });
});

// Every bundle starts under Node 24, as the runner starts it, reads its inputs, and refuses a bad
// one by name before doing anything.
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runAction } from '@cutover/testkit';
import { join } from 'node:path';

const actions = readdirSync(join(repoRoot, 'actions')).sort();

describe('bundled actions start', () => {
  it('has the actions of the contract', () => {
    expect(actions).toEqual([
      'blue-green-switch',
      'build-candidate',
      'canary-step',
      'delivery-metrics',
      'health-watch',
      'migration-check',
      'rollback',
      'test-gate',
    ]);
  });

  it('delivery-metrics: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('delivery-metrics', { inputs: { until: 'tomorrow' }, token: 'unused', post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['until: expected a date such as 2026-11-01 or 2026-11-01T12:00:00Z, got "tomorrow"']);
    expect(run.outputs).toEqual({});
  });

  it('migration-check: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('migration-check', { inputs: { path: 'db/*.sql', 'fail-on': 'maybe' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['fail-on: expected one of breaking, risky, got "maybe"']);
    expect(run.outputs).toEqual({});
  });

  it('build-candidate: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('build-candidate', { inputs: { path: 'dist', 'require-gate': 'maybe' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['require-gate: expected true or false, got "maybe"']);
    expect(run.outputs).toEqual({});
  });

  it('rollback: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('rollback', { inputs: { environment: 'production', incident: 'maybe' }, token: 'unused', post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['incident: expected true or false, got "maybe"']);
    expect(run.outputs).toEqual({});
  });

  it('blue-green-switch: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('blue-green-switch', { inputs: { environment: 'production', smoke: 'maybe' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['smoke: expected true or false, got "maybe"']);
    expect(run.outputs).toEqual({});
  });

  it('canary-step: starts and refuses a bad input, naming it, with no outputs; its post step has nothing to restore', async () => {
    const run = await runAction('canary-step', { inputs: { environment: 'production', 'on-cancel': 'maybe' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['on-cancel: expected one of restore, hold, got "maybe"']);
    expect(run.outputs).toEqual({});
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('nothing to do, the main step ended before moving any traffic');
  });

  it('health-watch: starts and refuses a bad input, naming it, with no outputs', async () => {
    const run = await runAction('health-watch', { inputs: { environment: 'production', inconclusive: 'maybe' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['inconclusive: expected one of fail, pass, got "maybe"']);
    expect(run.outputs).toEqual({});
  });

  it('test-gate: starts and refuses a bad input, naming it, running nothing, with no outputs', async () => {
    const run = await runAction('test-gate', { inputs: { command: 'touch ran', 'stop-the-line': 'maybe' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['stop-the-line: expected true or false, got "maybe"']);
    expect(existsSync(join(run.workspace, 'ran'))).toBe(false);
    expect(run.outputs).toEqual({});
  });
});

// An input each action refuses (the tests above): every action is here, build-candidate (which
// hashes, packs and runs git) and migration-check (git, PGlite or a PostgreSQL server) too, since
// those paths load what they need when they run (pg, zlib and child_process were read when their
// modules loaded: 8 ms of migration-check's start).
const refused: Record<string, Record<string, string>> = {
  'blue-green-switch': { environment: 'production', smoke: 'maybe' },
  'build-candidate': { path: 'dist', 'require-gate': 'maybe' },
  'migration-check': { path: 'db/*.sql', 'fail-on': 'maybe' },
  'canary-step': { environment: 'production', 'on-cancel': 'maybe' },
  'delivery-metrics': { until: 'tomorrow' },
  'health-watch': { environment: 'production', inconclusive: 'maybe' },
  rollback: { environment: 'production', incident: 'maybe' },
  'test-gate': { command: 'true', 'stop-the-line': 'maybe' },
};

// What an action loads on the way to its first check is paid by every step before any traffic moves
// (#15): node:crypto, node:child_process and node:fs/promises (with fs's streams and readline) only
// where a path uses them, and node:worker_threads not at all by then (reading node:util's
// parseArgs, diff or setTraceSigInt loads it and ten more modules). This runs each bundle and asks
// Node what it loaded (node:net is not asked about: the runner pipes stdout, and a piped stdout is
// a net.Socket), so that a load made by running code (a state saved through @actions/core, a
// package taking its functions from fs.promises when it loads) counts too.
describe('bundled actions, on the way to their first check', () => {
  it('covers every action', () => {
    expect(Object.keys(refused).sort()).toEqual(actions);
  });

  it.each(Object.keys(refused))('%s: loads none of node:crypto, node:child_process, node:fs/promises, node:worker_threads, node:zlib', async (name) => {
    const dir = await makeTempDir('cutover-start-');
    const loaded = join(dir, 'loaded.json');
    const hook = join(dir, 'hook.cjs');
    await writeFile(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`);
    // Quoted: NODE_OPTIONS splits on spaces outside quotes. After any NODE_OPTIONS the tests run with.
    const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(hook)}`].filter(Boolean).join(' ');
    const run = await runAction(name, { inputs: refused[name], post: false, env: { NODE_OPTIONS: nodeOptions } });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/: expected /)]);
    const modules = JSON.parse(await readFile(loaded, 'utf8')) as string[];
    // Built-ins load as "NativeModule <id>"; node:fs is read by every action (else this proves nothing).
    expect(modules).toContain('NativeModule fs');
    expect(modules.filter((entry) => /^NativeModule (crypto|child_process|internal\/fs\/promises|worker_threads|zlib)$/.test(entry))).toEqual([]);
  });
});

// dist/<name>/index.js turns on Node's compile cache before importing the action (scripts/build.mjs,
// compileCacheEntry), in the job's temporary directory: the next start of the job that loads the
// same chunks skips compiling them. Node says what it does with the cache when
// NODE_DEBUG_NATIVE=COMPILE_CACHE.
describe("bundled actions, Node's compile cache", () => {
  const start = (name: string, env: Record<string, string | undefined>) =>
    runAction(name, { inputs: refused[name], post: false, env: { NODE_DEBUG_NATIVE: 'COMPILE_CACHE', ...env } });

  it("keeps V8's code in the job's temporary directory, and the next start of the job, of another action too, uses it", async () => {
    const runnerTemp = await makeTempDir('cutover-runner-temp-');
    const first = await start('blue-green-switch', { RUNNER_TEMP: runnerTemp });
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(/writing cache for ESM file:\S+\/dist\/chunks\/main-\w+\.js/);
    const again = await start('blue-green-switch', { RUNNER_TEMP: runnerTemp });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/V8 code cache for ESM file:\S+\/dist\/chunks\/main-\w+\.js was accepted/);
    // canary-step shares chunks with blue-green-switch: those it finds compiled.
    const canary = await start('canary-step', { RUNNER_TEMP: runnerTemp });
    expect(canary.stderr).toMatch(/V8 code cache for ESM file:\S+\/dist\/chunks\/chunk-\w+\.js was accepted/);
  });

  // Writing the cache costs the start that writes it (scripts/build.mjs, compileCacheEntry): an
  // action without a post step makes none, and uses one an earlier step of the job made.
  it('is made by an action with a post step, and only used by one without', async () => {
    const runnerTemp = await makeTempDir('cutover-runner-temp-');
    const alone = await start('health-watch', { RUNNER_TEMP: runnerTemp });
    expect(alone.exitCode).toBe(1);
    expect(alone.stderr).not.toContain('[compile cache]');
    expect(existsSync(join(runnerTemp, 'cutover-compile-cache'))).toBe(false);
    await start('blue-green-switch', { RUNNER_TEMP: runnerTemp });
    expect(existsSync(join(runnerTemp, 'cutover-compile-cache'))).toBe(true);
    // health-watch shares the environment file's chunk with blue-green-switch: it finds it compiled.
    const after = await start('health-watch', { RUNNER_TEMP: runnerTemp });
    expect(after.exitCode).toBe(1);
    expect(after.stderr).toMatch(/V8 code cache for ESM file:\S+\/dist\/chunks\/chunk-\w+\.js was accepted/);
  });

  it('keeps nothing in a directory that outlives the job (the tool cache, /tmp), nor without RUNNER_TEMP', async () => {
    const toolCache = await makeTempDir('cutover-tool-cache-');
    const run = await start('blue-green-switch', { RUNNER_TOOL_CACHE: toolCache });
    expect(run.stderr).toContain(`${run.runnerTemp}/cutover-compile-cache`);
    expect(existsSync(join(toolCache, 'cutover-compile-cache'))).toBe(false);
    const bare = await start('blue-green-switch', { RUNNER_TEMP: undefined });
    expect(bare.exitCode).toBe(1);
    expect(bare.stderr).not.toContain('[compile cache]');
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const run = await start('blue-green-switch', { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(run.exitCode).toBe(1);
    expect(existsSync(join(run.runnerTemp, 'cutover-compile-cache'))).toBe(false);
  });
});

// Cold start and size of every bundle. Each action's `node dist/<name>/index.js` (with no inputs it
// stops at its first check) runs in turn with `node -e 0`, A B A B ...: the ratio of each pair's
// wall times is Node's start taken out, and pairing keeps it meaningful when the machine's speed
// drifts (on a shared machine `node -e 0` itself moved from 0.24 s to 0.45 s in one minute). The
// median ratio is the figure. The sizes come from dist/<name>/bundled.json (scripts/build.mjs): the
// entry index.js, what the action reads when it starts (the entry and the chunks of dist/chunks/ it
// imports at once), and everything it may load (the chunks its paths load when they need them and
// the files copied beside them, such as PGlite). A cold start is the first Cutover step of a job:
// no compile cache yet (scripts/build.mjs, compileCacheEntry), which an action with a post step
// makes as it exits; a warm one finds the code V8 compiled by an earlier start of the job in
// RUNNER_TEMP, as a post step or a later Cutover step does; and one with the cache off
// (NODE_DISABLE_COMPILE_CACHE=1).
// V8's up-front compile of the code read at start is measured apart (compileMs: the top level of
// each module, its functions pre-parsed). The rest of a start over Node's own is the functions V8
// compiles when they are first called, Node loading the modules and running them, the collector,
// and for an action with a post step, writing the compile cache as it exits.
// Two yardsticks are measured the same way, so that a ratio can be read: the least a JavaScript
// action can start (a one-line ES module reading its input), and the toolkit as an action usually
// bundles it (@actions/core's getInput and setFailed, esbuild, minified, nothing left out).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { node24, repoRoot } from '@cutover/testkit';
import { quantile } from './_shared.js';

const PAIRS = 11;

/** Bytes of every file under `dir`. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

interface Manifest {
  files: string[];
  atStart: string[];
  beside: string[];
}

/** Bytes of a file, or of every file under a directory. */
const bytesOf = (path: string) => (statSync(path).isDirectory() ? directoryBytes(path) : statSync(path).size);

/** The yardsticks, written into `dir`: name and path of each. */
async function yardsticks(dir: string): Promise<{ name: string; path: string }[]> {
  const least = join(dir, 'least.mjs');
  writeFileSync(least, "if (!process.env.INPUT_ENVIRONMENT) { process.stdout.write('::error::environment: required\\n'); process.exitCode = 1; }\n");
  const source = join(dir, 'toolkit-source.mjs');
  const toolkit = join(dir, 'toolkit.mjs');
  writeFileSync(
    source,
    "import * as core from '@actions/core';\ntry { core.getInput('environment', { required: true }); } catch (error) { core.setFailed(error.message); }\n",
  );
  await esbuild.build({
    entryPoints: [source],
    outfile: toolkit,
    absWorkingDir: repoRoot,
    nodePaths: [join(repoRoot, 'node_modules')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return [
    { name: 'a one-line ES module', path: least },
    { name: '@actions/core, bundled as usual', path: toolkit },
  ];
}

/** Bytes of `dir` as a gzipped tarball: its part of what a runner downloads (the repository at the action's ref, as a tarball). */
function tarballBytes(dir: string): number {
  const tar = spawnSync('tar', ['-czf', '-', '-C', dir, '.'], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.toString()}`);
  return tar.stdout.length;
}

const median = (values: number[]) => quantile(values, 0.5);
const hundredths = (value: number) => Math.round(value * 100) / 100;

function wallMs(argv: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  spawnSync(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * What V8 takes to compile `files` (ES modules) up front, in ms, in a fresh Node: each compiled as an
 * import compiles it (a SourceTextModule: the top level compiled, functions pre-parsed), none
 * linked or run. The functions a start calls are compiled later, when first called: about half as
 * much again for migration-check (V8's --log-function-events), not counted here. A one-line module
 * is compiled first, so that the first use of vm's module support is not counted.
 */
function compileMs(files: string[]): number {
  const script = [
    "const vm = require('node:vm');",
    "const sources = JSON.parse(process.argv[1]).map((file) => require('node:fs').readFileSync(file, 'utf8'));",
    "new vm.SourceTextModule('export {};');",
    'const started = performance.now();',
    'for (const source of sources) new vm.SourceTextModule(source);',
    'process.stdout.write(String(performance.now() - started));',
  ].join('\n');
  const child = spawnSync(node24(), ['--experimental-vm-modules', '--no-warnings', '-e', script, JSON.stringify(files)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`compiling ${files.join(', ')}: ${child.stderr}`);
  return Number(child.stdout);
}

export async function run(): Promise<object> {
  const rows: {
    action: string;
    sizeKiB: number;
    startKiB: number;
    allKiB: number;
    coldStartMs: number;
    compileMs: number;
    nodeMs: number;
    ratio: number;
    ratioMin: number;
    ratioMax: number;
    warmStartMs: number;
    warmRatio: number;
    offRatio: number;
  }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-bundles-'));
  const yardstickRows: { name: string; startKiB: number; ratio: number }[] = [];
  try {
    for (const { name, path } of await yardsticks(dir)) {
      const env = { PATH: process.env.PATH };
      wallMs([node24(), path], env);
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) ratios.push(wallMs([node24(), path], env) / wallMs([node24(), '-e', '0'], env));
      yardstickRows.push({ name, startKiB: Math.round(statSync(path).size / 1024), ratio: hundredths(median(ratios)) });
    }
    const actions = readdirSync(join(repoRoot, 'dist')).filter((name) => existsSync(join(repoRoot, 'dist', name, 'bundled.json')));
    for (const action of actions.sort()) {
      const bundle = join(repoRoot, 'dist', action, 'index.js');
      const manifest = JSON.parse(readFileSync(join(repoRoot, 'dist', action, 'bundled.json'), 'utf8')) as Manifest;
      const sum = (files: string[]) => Math.round(files.reduce((total, file) => total + bytesOf(join(repoRoot, 'dist', action, file)), 0) / 1024);
      const output = join(dir, `out-${action}`);
      const env = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: output, GITHUB_STATE: output, RUNNER_TEMP: dir };
      // Three kinds of start. Cold: a new RUNNER_TEMP each time (no compile cache; an action with a
      // post step writes one as it exits). Warm: one RUNNER_TEMP kept, the action's own code
      // compiled by its warm-up. Off: the cache off, what a start costs without it.
      let fresh = 0;
      const warmTemp = mkdtempSync(join(dir, `warm-${action}-`));
      // Made, as by an earlier Cutover step of the job: an action without a post step uses a cache
      // only then (scripts/build.mjs, compileCacheEntry), and its cold start makes none.
      mkdirSync(join(warmTemp, 'cutover-compile-cache'));
      const kinds = {
        cold: () => ({ ...env, RUNNER_TEMP: mkdtempSync(join(dir, `cold-${action}-${fresh++}-`)) }),
        warm: () => ({ ...env, RUNNER_TEMP: warmTemp }),
        off: () => ({ ...env, NODE_DISABLE_COMPILE_CACHE: '1' }),
      };
      type Kind = keyof typeof kinds;
      const samples = {
        cold: { ms: [] as number[], ratios: [] as number[] },
        warm: { ms: [] as number[], ratios: [] as number[] },
        off: { ms: [] as number[], ratios: [] as number[] },
      };
      const nodeMs: number[] = [];
      const compiles: number[] = [];
      /** One start of the bundle of `kind`, paired with one of `node -e 0`. */
      const pairOf = (kind: Kind) => {
        const a = wallMs([node24(), bundle], kinds[kind]());
        const b = wallMs([node24(), '-e', '0'], env);
        samples[kind].ms.push(a);
        samples[kind].ratios.push(a / b);
        nodeMs.push(b);
      };
      // One warm-up of each, not counted: the first start reads the files from disk (and fills the warm one's cache).
      wallMs([node24(), bundle], kinds.cold());
      wallMs([node24(), bundle], kinds.warm());
      wallMs([node24(), '-e', '0'], env);
      for (let pair = 0; pair < PAIRS; pair++) {
        writeFileSync(output, '');
        for (const kind of Object.keys(kinds) as Kind[]) pairOf(kind);
        compiles.push(compileMs(manifest.atStart.map((file) => join(repoRoot, 'dist', action, file))));
      }
      rows.push({
        action,
        sizeKiB: Math.round(statSync(bundle).size / 1024),
        startKiB: sum(manifest.atStart),
        allKiB: sum([...manifest.files, ...manifest.beside]),
        coldStartMs: Math.round(median(samples.cold.ms)),
        compileMs: Math.round(median(compiles) * 10) / 10,
        nodeMs: Math.round(median(nodeMs)),
        ratio: hundredths(median(samples.cold.ratios)),
        ratioMin: hundredths(Math.min(...samples.cold.ratios)),
        ratioMax: hundredths(Math.max(...samples.cold.ratios)),
        warmStartMs: Math.round(median(samples.warm.ms)),
        warmRatio: hundredths(median(samples.warm.ratios)),
        offRatio: hundredths(median(samples.off.ratios)),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  console.table(yardstickRows);
  const distKiB = Math.round(directoryBytes(join(repoRoot, 'dist')) / 1024);
  return { pairs: PAIRS, distKiB, distTarballKiB: Math.round(tarballBytes(join(repoRoot, 'dist')) / 1024), rows, yardsticks: yardstickRows };
}

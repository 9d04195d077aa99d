// The bundles reach Node's built-ins through builtins-plugin.mjs: stand-ins and modules loaded on
// first use. This builds a module with it, as scripts/build.mjs does, runs it under this Node, and
// holds what code sees to what Node gives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { builtins } from './builtins-plugin.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cutover-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds `source` with the plugin, runs it, and returns what it printed as JSON. */
async function run(source: string): Promise<Record<string, unknown>> {
  const entry = join(dir, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(entry, source);
  const outfile = `${entry}.out.mjs`;
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    plugins: [builtins],
    logLevel: 'error',
  });
  return JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as Record<string, unknown>;
}

const loaded = "(id) => process.moduleLoadList.includes('NativeModule ' + id)";

describe("the bundles' built-ins", () => {
  it('loads a module only some paths use when code first reads from it, and gives it whole then', async () => {
    const seen = await run(`
      import { connect } from 'node:net';
      import * as zlib from 'node:zlib';
      const loaded = ${loaded};
      const before = loaded('net');
      const type = typeof connect;
      console.log(JSON.stringify({ before, after: loaded('net'), type, flush: zlib.Z_SYNC_FLUSH, constant: zlib.constants.Z_SYNC_FLUSH, gunzip: typeof zlib.gunzipSync }));
    `);
    expect(seen).toEqual({ before: false, after: true, type: 'function', flush: 2, constant: 2, gunzip: 'function' });
  });

  it('takes from node:fs only what is imported, and stands for its getters until they are used', async () => {
    const seen = await run(`
      import { readFileSync, promises, ReadStream, createReadStream } from 'node:fs';
      const loaded = ${loaded};
      const before = loaded('internal/fs/promises');
      const stream = createReadStream(process.execPath, { start: 0, end: 0 });
      class Mine extends ReadStream {}
      const mine = new Mine(process.execPath, { start: 0, end: 0 });
      stream.destroy(); mine.destroy();
      console.log(JSON.stringify({
        before,
        read: typeof readFileSync,
        promises: typeof promises,
        keys: Object.keys(promises).includes('readFile'),
        has: 'readFile' in promises,
        after: loaded('internal/fs/promises'),
        instance: stream instanceof ReadStream,
        extended: mine instanceof ReadStream && mine instanceof Mine,
      }));
    `);
    expect(seen).toEqual({ before: false, read: 'function', promises: 'object', keys: true, has: true, after: true, instance: true, extended: true });
  });

  it('reads a getter that holds a number, and calls and throws through node:assert', async () => {
    const seen = await run(`
      import { INSPECT_MAX_BYTES } from 'node:buffer';
      import { ok, AssertionError } from 'node:assert';
      let thrown;
      try { ok(false, 'no'); } catch (error) { thrown = error instanceof AssertionError && error.message; }
      ok(true);
      console.log(JSON.stringify({ bytes: INSPECT_MAX_BYTES + 0, thrown }));
    `);
    expect(seen).toEqual({ bytes: 50, thrown: 'no' });
  });

  it("leaves node:util's names the code does not import unread (reading them loads worker_threads)", async () => {
    const seen = await run(`
      import { promisify } from 'node:util';
      const loaded = ${loaded};
      console.log(JSON.stringify({ type: typeof promisify, workers: loaded('worker_threads') }));
    `);
    expect(seen).toEqual({ type: 'function', workers: false });
  });
});

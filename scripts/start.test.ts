// What an action reads when it starts is paid by every step, before any traffic moves (#15). These
// hold the start-up cuts to the built files: the files an action imports at once (bundled.json's
// atStart, itself held to the files by licenses.test.ts). Which built-ins an action loads by its
// first check is asked of Node itself, in test/actions-start.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dist = join(new URL('.', import.meta.url).pathname, '..', 'dist');
const bundles = readdirSync(dist).filter((name) => existsSync(join(dist, name, 'bundled.json')));

/** What scripts/build.mjs wrote of `action`: the files it imports when it starts, and every input it can ever import. */
const bundled = (action: string) => JSON.parse(readFileSync(join(dist, action, 'bundled.json'), 'utf8')) as { atStart: string[]; inputs: string[] };

/** The source of every file `action` imports when it starts. */
function atStart(action: string): string {
  return bundled(action)
    .atStart.map((file) => readFileSync(join(dist, action, file), 'utf8'))
    .join('\n');
}

/** The built-in modules a source reaches through the build's plugin (scripts/builtins-plugin.mjs). */
const builtinsReached = (source: string) => new Set([...source.matchAll(/process\.getBuiltinModule\("node:([a-z_/]+)"\)/g)].map((match) => match[1]!));

/** The built-in modules a source imports as ES modules (esbuild writes `from"x"` and `import"x"`). */
const builtinsImported = (source: string) => new Set([...source.matchAll(/(?:\bfrom\s*|\bimport\s*)"(?:node:)?([a-z_/]+)"/g)].map((match) => match[1]!));

describe('what an action reads when it starts', () => {
  it('is known for every action', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(8);
  });

  // An import of a built-in builds Node's ES module facade of it, reading every export: for node:fs
  // that loads fs's streams, node:fs/promises and readline (scripts/builtins-plugin.mjs).
  // Only the built-ins that are a function (node:events, node:stream, ...) are still imported.
  it.each(bundles)("%s: imports none of Node's built-ins that are objects (their facades read every export)", (name) => {
    const source = atStart(name);
    expect(builtinsReached(source).size, 'the files reach some built-ins (else this proves nothing)').toBeGreaterThan(0);
    const objects = [...builtinsImported(source)].filter((builtin) => builtin !== 'process' && typeof process.getBuiltinModule(`node:${builtin}`) === 'object');
    expect(objects).toEqual([]);
  });

  // yaml's parse errors are named YAMLParseError, a string minifying keeps.
  it.each(['build-candidate', 'delivery-metrics', 'migration-check', 'test-gate'])(
    '%s: reads no environment file, and loads no YAML reader at start',
    (name) => {
      expect(atStart(name)).not.toContain('YAMLParseError');
    },
  );

  it('blue-green-switch: reads an environment file, and so loads the YAML reader at start (the mark the test above looks for)', () => {
    expect(atStart('blue-green-switch')).toContain('YAMLParseError');
  });

  it('blue-green-switch: reads the candidate archive code only with a candidate input', () => {
    // The candidate reader gunzips and untars: node:zlib is its mark.
    expect(builtinsReached(atStart('blue-green-switch'))).not.toContain('zlib');
    expect(builtinsReached(atStart('build-candidate'))).toContain('zlib');
  });

  // Not only at start: every file blue-green-switch can ever import (bundled.json's inputs, whose
  // licences are in its licenses.txt). It verifies a candidate through @cutover/candidate/verify;
  // the package's face reached build-candidate's publishing, 2.2 MB of chunks.
  it("blue-green-switch: can reach none of build-candidate's publishing (releases, artifacts, attestations)", () => {
    const reach = (action: string) => bundled(action).inputs;
    const publishing = (inputs: string[]) => inputs.filter((input) => /@actions\/(artifact|attest)\/|candidate\/src\/(publish|releases)\.ts/.test(input));
    expect(reach('blue-green-switch')).toContain('packages/candidate/src/verify.ts');
    expect(publishing(reach('blue-green-switch'))).toEqual([]);
    expect(publishing(reach('build-candidate')).length).toBeGreaterThan(0);
  });

  // scripts/build.mjs, noEncoding: minipass-fetch's optional `encoding` (iconv-lite's code pages,
  // 481 KiB) serves only its textConverted(), which nothing calls.
  it("build-candidate: carries sigstore's fetch without iconv-lite", () => {
    const { inputs } = bundled('build-candidate');
    expect(inputs).toContain('node_modules/minipass-fetch/lib/body.js');
    expect(inputs.filter((input) => /node_modules\/(iconv-lite|encoding)\//.test(input))).toEqual([]);
  });

  // scripts/build.mjs, compileCacheEntry: writing Node's compile cache costs the start that writes
  // it, so an action makes it only when its post step will read it, and otherwise uses it when an
  // earlier step of the job made it.
  it.each(bundles)('%s: makes the compile cache only if its action.yml has a post step', (name) => {
    const post = Boolean((parse(readFileSync(join(dist, '..', 'actions', name, 'action.yml'), 'utf8')) as { runs: { post?: string } }).runs.post);
    const entry = readFileSync(join(dist, name, 'index.js'), 'utf8');
    expect(entry).toContain('enableCompileCache');
    expect(entry.includes('existsSync')).toBe(!post);
  });
});

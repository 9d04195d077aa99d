// What an action reads when it starts is paid by every step, before any traffic moves (#15). These
// hold the start-up cuts to the built files: the files an action imports at once (bundled.json's
// atStart, itself held to the files by licenses.test.ts) load no built-in that only some paths use.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(new URL('.', import.meta.url).pathname, '..', 'dist');
const bundles = readdirSync(dist).filter((name) => existsSync(join(dist, name, 'bundled.json')));

/** The source of every file `action` imports when it starts. */
function atStart(action: string): string {
  const { atStart: files } = JSON.parse(readFileSync(join(dist, action, 'bundled.json'), 'utf8')) as { atStart: string[] };
  return files.map((file) => readFileSync(join(dist, action, file), 'utf8')).join('\n');
}

/** The built-in modules a source imports at its top (esbuild writes `from"x"` and `import"x"`). */
const builtinsImported = (source: string) =>
  new Set([...source.matchAll(/(?:\bfrom\s*|\bimport\s*)"(?:node:)?([a-z_/]+)"/g)].map((match) => match[1]!).filter((name) => !name.startsWith('.')));

// build-candidate hashes and packs archives and runs git; migration-check runs git and PostgreSQL.
const needThem = new Set(['build-candidate', 'migration-check']);

describe('what an action reads when it starts', () => {
  it('is known for every action', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(8);
  });

  it.each(bundles.filter((name) => !needThem.has(name)))('%s: loads neither node:crypto nor node:child_process until a path uses it', (name) => {
    const imported = builtinsImported(atStart(name));
    expect(imported.size, 'the files import some built-ins (else this proves nothing)').toBeGreaterThan(0);
    expect([...imported].filter((builtin) => builtin === 'crypto' || builtin === 'child_process')).toEqual([]);
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
    expect(builtinsImported(atStart('blue-green-switch'))).not.toContain('zlib');
    expect(builtinsImported(atStart('build-candidate'))).toContain('zlib');
  });
});

// Every bundle's licenses.txt names the third-party packages bundled into it. What was bundled comes
// from dist/<action>/bundled.json (esbuild's metafile, through scripts/build.mjs); the check first
// holds that manifest to the files themselves: every chunk an action's files import, at once or
// lazily, is among its files, so no package can hide in a chunk the manifest forgot.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundledManifest, licencesText, packageOf, packageRoots, parseLicences, readLicence, readmeLicenceSection } from './licenses.js';

const root = join(new URL('.', import.meta.url).pathname, '..');
const dist = join(root, 'dist');
const bundles = readdirSync(dist).filter((name) => existsSync(join(dist, name, 'index.js')));

const manifest = (name: string) => JSON.parse(readFileSync(join(dist, name, 'bundled.json'), 'utf8')) as BundledManifest;

/** The files of dist/ that `file` imports, statically or by import(): esbuild writes both with a literal path. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const paths = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)"(\.{1,2}\/[^"]+\.js)"/g)].map((match) => match[1]!);
  return paths.map((path) => join(file, '..', path));
}

describe('dist/<action>/licenses.txt', () => {
  it('exists for every bundle', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(8);
    for (const name of bundles) expect(existsSync(join(dist, name, 'licenses.txt')), name).toBe(true);
  });

  it.each(bundles)('%s: bundled.json lists every file its index.js and chunks import', (name) => {
    const files = new Set(manifest(name).files.map((file) => join(dist, name, file)));
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const imported of importsOf(file)) visit(imported);
    };
    visit(join(dist, name, 'index.js'));
    expect([...reached].filter((file) => !files.has(file)).map((file) => file.slice(dist.length + 1))).toEqual([]);
    for (const file of files) expect(existsSync(file), file).toBe(true);
  });

  it.each(bundles)('%s: names every package whose code is in its files', (name) => {
    const listed = new Set(parseLicences(readFileSync(join(dist, name, 'licenses.txt'), 'utf8')).map((entry) => entry.name));
    const bundled = new Set(manifest(name).inputs.flatMap((path) => packageOf(join(root, path))?.name ?? []));
    // Every bundle carries @actions/core at least: a bundle naming no package would prove nothing.
    expect(bundled).toContain('@actions/core');
    expect([...bundled].filter((pkg) => !listed.has(pkg)).sort()).toEqual([]);
  });

  it.each(bundles)('%s: gives each package a version, a licence type and a licence text', (name) => {
    const text = readFileSync(join(dist, name, 'licenses.txt'), 'utf8');
    const entries = parseLicences(text);
    expect(entries.length).toBeGreaterThan(0);
    expect(text).toContain(`${entries.length} packages`);
    for (const entry of entries) {
      expect(entry.version, entry.name).toMatch(/^\d+\.\d+\.\d+/);
      expect(entry.type, entry.name).not.toBe('');
    }
    // Between two entries' headers, some text.
    for (const block of text.split(/^-{79}$/m).slice(1)) expect(block.split('\n').slice(5).join('\n').trim(), block.slice(0, 80)).not.toBe('');
  });

  it('lists the files copied beside a bundle: PGlite and the SQL parser in migration-check', () => {
    // PGlite's WebAssembly and file system image are stored compressed: the package's bytes, once inflated.
    // PGlite sits beside the chunk that imports it (bundled.json's `beside`, relative to dist/migration-check).
    const { beside } = JSON.parse(readFileSync(join(dist, 'migration-check', 'bundled.json'), 'utf8')) as { beside: string[] };
    const copied = beside.find((path) => path.endsWith('/pglite'));
    expect(copied).toBeDefined();
    const pgliteDir = join(dist, 'migration-check', copied!);
    for (const name of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) {
      expect(existsSync(join(pgliteDir, name)), name).toBe(false);
      const stored = brotliDecompressSync(readFileSync(join(pgliteDir, `${name}.br`)));
      expect(stored.equals(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'dist', name))), name).toBe(true);
    }
    // So is libpg-query's, beside the chunk that loads it (scripts/build.mjs hands it over inflated).
    const chunks = join(dist, 'chunks');
    expect(existsSync(join(chunks, 'libpg-query.wasm'))).toBe(false);
    const parser = brotliDecompressSync(readFileSync(join(chunks, 'libpg-query.wasm.br')));
    expect(parser.equals(readFileSync(join(root, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm')))).toBe(true);
    const entries = parseLicences(readFileSync(join(dist, 'migration-check', 'licenses.txt'), 'utf8'));
    const pglite = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
    expect(entries).toContainEqual({ name: '@electric-sql/pglite', version: pglite.version, type: 'Apache-2.0' });
  });
});

describe('whose file it is', () => {
  it('gives a file its innermost package, scoped or not; workspace files have none', () => {
    expect(packageOf('/r/node_modules/a/lib/x.js')).toEqual({ name: 'a', root: '/r/node_modules/a' });
    expect(packageOf('/r/node_modules/a/node_modules/@s/b/x.js')).toEqual({ name: '@s/b', root: '/r/node_modules/a/node_modules/@s/b' });
    expect(packageOf('/r/node_modules/@s/b')).toEqual({ name: '@s/b', root: '/r/node_modules/@s/b' });
    expect(packageOf('/r/packages/config/src/index.ts')).toBeUndefined();
    expect(packageOf('/r/node_modules/@s')).toBeUndefined();
    expect(packageRoots(['/r/node_modules/a/x.js', '/r/node_modules/a/y.js', '/r/packages/p/src/i.ts'])).toEqual(['/r/node_modules/a']);
  });
});

describe('a package licence', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'licences-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const pkg = (name: string, manifest: object, files: Record<string, string>) => {
    const dir = join(scratch, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', ...manifest }));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  };

  it('is its LICENSE and NOTICE files, with the type package.json declares', () => {
    const dir = pkg('apache', { license: 'Apache-2.0' }, { LICENSE: 'Apache License\r\nVersion 2.0\r\n', NOTICE: 'Copyright Example\n', 'README.md': '# x\n' });
    expect(readLicence(dir)).toEqual({ name: 'apache', version: '1.2.3', type: 'Apache-2.0', text: 'Apache License\nVersion 2.0\n\nCopyright Example' });
  });

  it("without a licence file, is its README's licence section, or says there is none", () => {
    const readme = '# tool\n\nUse it.\n\nlicense\n=======\n\nMIT, Copyright Ann\n\nsee also\n--------\nmore\n';
    expect(readLicence(pkg('old', { licenses: [{ type: 'MIT' }] }, { 'README.markdown': readme }))).toMatchObject({
      type: 'MIT',
      text: '(the package ships no licence file; from its README.markdown:)\nlicense\n=======\n\nMIT, Copyright Ann',
    });
    expect(readLicence(pkg('bare', { author: { name: 'Bo' } }, { 'README.md': '# bare\n' }))).toMatchObject({
      type: 'UNKNOWN',
      text: '(the package ships no licence file and its README states none; package.json declares UNKNOWN, author Bo)',
    });
    expect(readmeLicenceSection('## License\n\nISC\n\n## Next\n')).toBe('## License\n\nISC');
    expect(readmeLicenceSection('Licensed under MIT, see the site.\n')).toBeUndefined();
  });

  it('file is the same bytes whatever order the packages come in', () => {
    const licences = [
      { name: 'b', version: '1.0.0', type: 'MIT', text: 'B' },
      { name: '@s/a', version: '2.0.0', type: 'ISC', text: 'A' },
      { name: 'b', version: '0.9.0', type: 'MIT', text: 'B old' },
      { name: 'b', version: '1.0.0', type: 'MIT', text: 'B' },
    ];
    const text = licencesText('x', licences);
    expect(licencesText('x', [...licences].reverse())).toBe(text);
    expect(parseLicences(text)).toEqual([
      { name: '@s/a', version: '2.0.0', type: 'ISC' },
      { name: 'b', version: '0.9.0', type: 'MIT' },
      { name: 'b', version: '1.0.0', type: 'MIT' },
    ]);
    expect(text).toContain('3 packages');
  });
});

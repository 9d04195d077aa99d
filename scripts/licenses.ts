// Writes dist/<action>/licenses.txt: every third-party package bundled into the action's files,
// with its name, version, licence type and licence text.
//
// How we know what was bundled: scripts/build.mjs writes dist/<action>/bundled.json from esbuild's
// metafile: the files the action loads (its entry and the chunks it imports, at once or lazily),
// every source file with bytes in them (a module tree-shaken away has none, so it is not counted),
// and the files copied beside them (PGlite, libpg-query's WebAssembly). A path under node_modules/
// belongs to the package of its innermost node_modules/<name> (or @scope/<name>) directory; the
// workspace's own packages resolve to packages/<name>/ and are Cutover's (LICENSE).
//
// Usage (from build.mjs): node --import tsx scripts/licenses.ts dist/<action>
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/<action>/bundled.json, as scripts/build.mjs writes it (paths relative to the repository). */
export interface BundledManifest {
  files: string[];
  /** The files loaded when the action starts (the others are loaded by the paths that need them). */
  atStart: string[];
  inputs: string[];
  /** The files and directories copied beside them, relative to dist/<action>/. */
  beside: string[];
  copied: string[];
}

/** The package a file belongs to: its innermost node_modules/<name> or node_modules/@scope/<name>. */
export function packageOf(path: string): { name: string; root: string } | undefined {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const scoped = parts[at + 1]!.startsWith('@');
  if (scoped && at + 2 >= parts.length) return undefined;
  const name = scoped ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1]!;
  return { name, root: parts.slice(0, at + 2 + (scoped ? 1 : 0)).join(sep) };
}

export interface Licence {
  name: string;
  version: string;
  /** SPDX expression from package.json, or "UNKNOWN" when it declares none. */
  type: string;
  /** The package's licence file(s), or a line saying it ships none. */
  text: string;
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;

function licenceType(manifest: { license?: unknown; licenses?: unknown }): string {
  const declared = manifest.license ?? manifest.licenses;
  if (typeof declared === 'string' && declared.trim()) return declared.trim();
  if (Array.isArray(declared))
    return (
      declared
        .map((entry) => (typeof entry === 'string' ? entry : (entry as { type?: string }).type))
        .filter(Boolean)
        .join(' OR ') || 'UNKNOWN'
    );
  if (declared && typeof declared === 'object' && typeof (declared as { type?: unknown }).type === 'string') return (declared as { type: string }).type;
  return 'UNKNOWN';
}

/**
 * The "License" section of a README (a `## License` heading, or a line underlined with === or ---),
 * up to the next heading; undefined when there is none.
 */
export function readmeLicenceSection(readme: string): string | undefined {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const underline = (line: string | undefined) => line !== undefined && /^\s*(=+|-+)\s*$/.test(line);
  const heading = (index: number) => /^#{1,6}\s/.test(lines[index]!) || (lines[index]!.trim() !== '' && underline(lines[index + 1]));
  const start = lines.findIndex((line, index) => /^(#{1,6}\s*)?licen[cs]e\b/i.test(line.trim()) && heading(index));
  if (start < 0) return undefined;
  const body: string[] = [lines[start]!];
  let index = start + 1;
  if (underline(lines[index])) body.push(lines[index++]!);
  for (; index < lines.length && !heading(index); index++) body.push(lines[index]!);
  const text = body.join('\n').trim();
  return text.split('\n').length > 1 ? text : undefined;
}

interface Manifest {
  name?: string;
  version?: string;
  license?: unknown;
  licenses?: unknown;
  author?: string | { name?: string; email?: string };
}

/**
 * What a package directory says about its licence: package.json and its LICENSE-like files (NOTICE
 * too, which Apache-2.0 asks to pass on); failing those, its README's licence section.
 */
export function readLicence(root: string): Licence {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const entries = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isFile());
  const read = (file: string) => readFileSync(join(root, file), 'utf8').replace(/\r\n?/g, '\n').trim();
  const texts = entries
    .filter((entry) => LICENCE_FILE.test(entry.name))
    .map((entry) => read(entry.name))
    .sort();
  const type = licenceType(manifest);
  let text = texts.join('\n\n');
  if (!text) {
    const readme = entries
      .map((entry) => entry.name)
      .sort()
      .find((file) => /^readme(\..*)?$/i.test(file));
    const section = readme ? readmeLicenceSection(read(readme)) : undefined;
    const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
    text = section
      ? `(the package ships no licence file; from its ${readme}:)\n${section}`
      : `(the package ships no licence file and its README states none; package.json declares ${type}${author ? `, author ${author}` : ''})`;
  }
  return { name: manifest.name ?? '(unnamed)', version: manifest.version ?? '(no version)', type, text };
}

/** The third-party package directories among bundled files and copied paths, each once, in a stable order. */
export function packageRoots(paths: string[]): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    const owner = packageOf(path);
    if (owner) roots.add(owner.root);
  }
  return [...roots].sort();
}

const RULE = '-'.repeat(79);

/**
 * The text of licenses.txt: one entry per package and version, sorted, so a build gives the same
 * bytes. Each entry starts with a rule and `Package:`, `Version:` and `License:` lines (what
 * parseLicences reads back), then the licence text.
 */
export function licencesText(action: string, licences: Licence[]): string {
  const unique = new Map<string, Licence>();
  for (const licence of licences) unique.set(`${licence.name}\u0000${licence.version}`, licence);
  const byName = (a: Licence, b: Licence) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0);
  const sorted = [...unique.values()].sort(byName);
  const header = [
    `Third-party software in dist/${action}/: index.js, the chunks of dist/chunks/ it loads (bundled.json lists them) and the files copied beside them:`,
    `${sorted.length} packages, each with its version, its licence as its package.json declares it, and`,
    'the licence text the package ships. Cutover itself is under the MIT License (LICENSE).',
  ].join('\n');
  const entries = sorted.map((licence) => `${RULE}\nPackage: ${licence.name}\nVersion: ${licence.version}\nLicense: ${licence.type}\n\n${licence.text}`);
  return `${[header, ...entries].join('\n\n')}\n`;
}

/** The packages a licenses.txt names: name, version and licence type of each entry. */
export function parseLicences(text: string): { name: string; version: string; type: string }[] {
  return [...text.matchAll(/^-{79}\nPackage: (.+)\nVersion: (.+)\nLicense: (.+)\n/gm)].map(([, name, version, type]) => ({
    name: name!,
    version: version!,
    type: type!,
  }));
}

/** Writes <outDir>/licenses.txt from its bundled.json (see above). */
export function writeLicences(outDir: string, root = process.cwd()): number {
  const manifest = JSON.parse(readFileSync(join(outDir, 'bundled.json'), 'utf8')) as BundledManifest;
  const paths = [...manifest.inputs, ...manifest.copied].map((path) => resolve(root, path));
  // A symlinked package counts where it lives; one that lives outside any node_modules/ is a
  // workspace package, Cutover's own.
  const roots = [...new Set(packageRoots(paths).map((path) => (existsSync(path) ? realpathSync(path) : path)))].filter((path) => packageOf(path)).sort();
  const action = outDir.split(/[\\/]/).filter(Boolean).at(-1) ?? outDir;
  writeFileSync(join(outDir, 'licenses.txt'), licencesText(action, roots.map(readLicence)));
  return roots.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) throw new Error('usage: licenses.ts dist/<action>');
  writeLicences(outDir);
}

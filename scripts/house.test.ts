// The house's rules, checked from the code itself: each package declares the packages it imports,
// no two packages import each other (however far round), entries stay thin, every package's face
// names what it exports, and a kind is one registry line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '@cutover/alerts';
import { CHECK_KINDS } from '@cutover/health';
import { ROUTER_KINDS } from '@cutover/routers';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The @cutover packages a file imports (static, dynamic and type imports alike). */
function cutoverImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'@cutover\/([a-z-]+)(?:\/[a-z-]+)?'/g)].map((match) => match[1]!);
}

const packages = readdirSync(join(root, 'packages')).filter((name) => statSync(join(root, 'packages', name, 'package.json'), { throwIfNoEntry: false }));

const graph = new Map(
  packages.map((name) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    const declared = Object.keys(manifest.dependencies ?? {})
      .filter((dep) => dep.startsWith('@cutover/'))
      .map((dep) => dep.slice('@cutover/'.length));
    const files = sources(join(root, 'packages', name, 'src'));
    const imported = new Map<string, string>();
    for (const file of files) for (const dep of cutoverImports(file)) if (dep !== name && !imported.has(dep)) imported.set(dep, relative(root, file));
    return [name, { manifest, declared, imported, files }] as const;
  }),
);

// A package's second face, where an action loads one part of it on a path of its own and the
// face would reach the rest: blue-green-switch verifies a `candidate` input with the manifest and
// the archive reader, and @cutover/candidate's face reaches build-candidate's run, whose lazy
// imports (@actions/artifact, attestations) were 2.2 MB of chunks the switch never loads, their
// licences in its licenses.txt.
const SUB_PATHS: Record<string, Record<string, string>> = { candidate: { './verify': './src/verify.ts' } };

describe('the house', () => {
  it('has every package named @cutover/<its folder>, its face at src/index.ts (and only the sub-paths named here)', () => {
    for (const [name, { manifest }] of graph) {
      expect(manifest.name).toBe(`@cutover/${name}`);
      expect(manifest.exports).toEqual({ '.': './src/index.ts', ...SUB_PATHS[name] });
    }
  });

  it('has every package but the test kit free of import side effects, so that bundles leave out what an action does not reach', () => {
    for (const [name, { manifest }] of graph) expect(manifest.sideEffects, `@cutover/${name}`).toBe(name === 'testkit' ? undefined : false);
  });

  it('declares in each package.json the packages its code imports, and no other', () => {
    for (const [name, { declared, imported }] of graph) {
      const undeclared = [...imported].filter(([dep]) => !declared.includes(dep)).map(([dep, file]) => `${dep} (imported by ${file})`);
      expect(undeclared, `@cutover/${name} imports undeclared packages`).toEqual([]);
      const unused = declared.filter((dep) => !imported.has(dep));
      expect(unused, `@cutover/${name} declares packages it does not import`).toEqual([]);
    }
  });

  it('has no circle of packages: each stands above the packages it imports', () => {
    const floors = new Map<string, number>();
    const visiting: string[] = [];
    const floor = (name: string): number => {
      if (visiting.includes(name)) throw new Error(`packages import each other: ${[...visiting.slice(visiting.indexOf(name)), name].join(' -> ')}`);
      const known = floors.get(name);
      if (known !== undefined) return known;
      visiting.push(name);
      const deps = [...(graph.get(name)?.imported.keys() ?? [])];
      const height = 1 + Math.max(0, ...deps.map(floor));
      visiting.pop();
      floors.set(name, height);
      return height;
    };
    for (const name of graph.keys()) floor(name);
    // The ground: what every action needs, depending on nothing of ours.
    expect(floors.get('config')).toBe(1);
    // The kinds stand below the package that gathers them, and the actions' packages above it.
    for (const kinds of ['routers', 'health', 'alerts']) expect(floors.get(kinds)!).toBeLessThan(floors.get('environment')!);
    for (const action of ['blue-green', 'canary', 'rollback', 'watch']) expect(floors.get(action)!).toBeGreaterThan(floors.get('environment')!);
  });

  it('keeps every action entry thin: inputs in, the package runs, outputs out', () => {
    for (const action of readdirSync(join(root, 'actions'))) {
      const main = join(root, 'actions', action, 'src', 'main.ts');
      const lines = readFileSync(main, 'utf8').trimEnd().split('\n');
      expect(lines.length, `actions/${action}/src/main.ts`).toBeLessThan(30);
      const relativeImports = lines.filter((line) => /from '\.\.?\//.test(line));
      expect(relativeImports, `actions/${action}/src/main.ts imports its own files instead of a package`).toEqual([]);
    }
  });

  it('names what each package exports: no export *', () => {
    const wildcards = [...graph.values()].flatMap(({ files }) => files.filter((file) => /^export \* from/m.test(readFileSync(file, 'utf8'))));
    expect(wildcards.map((file) => relative(root, file))).toEqual([]);
  });

  it('lists each router, check and alert kind once, under the name the file uses', () => {
    for (const registry of [ROUTER_KINDS, CHECK_KINDS, ALERT_KINDS]) {
      const names = registry.map((kind) => kind.kind);
      expect(new Set(names).size).toBe(names.length);
      for (const kind of registry) expect(Object.keys(kind.schema.properties).length).toBeGreaterThan(0);
    }
    // A router kind lives in its own directory of the routers package.
    for (const kind of ROUTER_KINDS) expect(statSync(join(root, 'packages/routers/src', kind.kind), { throwIfNoEntry: false })?.isDirectory()).toBe(true);
  });
});

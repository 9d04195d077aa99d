// Bundles every action with ncc into dist/<name>/index.js, in parallel, and writes what is
// generated from one source: schema/cutover.schema.json and the generated parts of README.md.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const only = process.argv.slice(2);
const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'src', 'main.ts')));
const chosen = only.length ? actions.filter((name) => only.includes(name)) : actions;

function run(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

// Packages an action loads from files copied next to its bundle rather than through ncc.
// PGlite: ncc 0.45's webpack turns its `await import('node:module')` into a namespace without
// createRequire (Node's `module` export is a function, whose properties that webpack does not
// copy), and the bundled PGlite fails with "e is not a function"; its own ES modules run as
// shipped. migration-check imports dist/migration-check/pglite/index.js, and only without a
// database-url. Source maps, CommonJS twins, types and the contrib extensions stay behind.
const copies = {
  'migration-check': [
    { from: 'node_modules/@electric-sql/pglite/dist', to: 'pglite', keep: /^(fs\/)?[^/]+\.(js|wasm|data)$/ },
    { from: 'node_modules/@electric-sql/pglite/LICENSE', to: 'pglite/LICENSE' },
  ],
};

function copyInto(out, { from, to, keep }) {
  cpSync(from, join(out, to), {
    recursive: true,
    filter: (path) => !keep || path === from || (statSync(path).isDirectory() ? relative(from, path) === 'fs' : keep.test(relative(from, path))),
  });
}

// The environment file's validator, compiled from the kinds before the bundles import it.
await run([process.execPath, '--import', 'tsx', 'scripts/write-validator.ts']);

const ncc = join('node_modules', '.bin', 'ncc');
const limit = 3;
const queue = [...chosen];
// webpack's stats of each build, read by scripts/licenses.ts and thrown away (tens of MB each).
const statsDir = mkdtempSync(join(tmpdir(), 'cutover-build-'));
async function worker() {
  for (let name = queue.shift(); name; name = queue.shift()) {
    const out = join('dist', name);
    const stats = join(statsDir, `${name}.json`);
    rmSync(out, { recursive: true, force: true });
    // Not ncc's --license: it writes one licenses.txt per chunk, and the last one wins. The
    // licences come from what webpack's stats say was bundled (scripts/licenses.ts says how).
    await run([ncc, 'build', join('actions', name, 'src', 'main.ts'), '-o', out, '--stats-out', stats, '--quiet', '--no-source-map-register']);
    for (const copy of copies[name] ?? []) copyInto(out, copy);
    await run([process.execPath, '--import', 'tsx', 'scripts/licenses.ts', out, stats, ...(copies[name] ?? []).map((copy) => copy.from)]);
    rmSync(stats, { force: true });
    console.log(`built dist/${name}/index.js`);
  }
}
try {
  await Promise.all(Array.from({ length: limit }, worker));
} finally {
  rmSync(statsDir, { recursive: true, force: true });
}

if (!only.length) {
  await run([process.execPath, '--import', 'tsx', 'scripts/write-schema.ts']);
  await run([process.execPath, '--import', 'tsx', 'scripts/readme.ts']);
}

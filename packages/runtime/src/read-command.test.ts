import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCommand } from './read-command.js';

afterEach(() => vi.unstubAllEnvs());

const node = (script: string) => [process.execPath, ['-e', script]] as const;

describe('readCommand', () => {
  it('gives what the program prints, run in cwd without the action secrets', async () => {
    vi.stubEnv('INPUT_TOKEN', 'ghs_input');
    vi.stubEnv('GITHUB_TOKEN', 'ghs_env');
    vi.stubEnv('MY_SETTING', 'kept');
    const [file, args] = node(
      'process.stdout.write(JSON.stringify([process.cwd(), process.env.INPUT_TOKEN, process.env.GITHUB_TOKEN, process.env.MY_SETTING]))',
    );
    const printed = await readCommand(file, [...args], { cwd: '/', maxBuffer: 1024 });
    expect(JSON.parse(printed)).toEqual(['/', null, null, 'kept']);
  });

  it('rejects as execFile does: the exit code and what the program said on stderr', async () => {
    const [file, args] = node('process.stderr.write("fatal: not a git repository"); process.exit(128)');
    await expect(readCommand(file, [...args], { cwd: '/', maxBuffer: 1024 })).rejects.toMatchObject({ code: 128, stderr: 'fatal: not a git repository' });
  });

  it('refuses more output than maxBuffer', async () => {
    const [file, args] = node('process.stdout.write("x".repeat(4096))');
    await expect(readCommand(file, [...args], { cwd: '/', maxBuffer: 1024 })).rejects.toMatchObject({ code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' });
  });
});

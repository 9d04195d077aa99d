// npm run demo tells the pipeline's story: the good releases go out and are promoted, the faulty one
// is caught by the canary and rolled back, with the incident text. The demo exits non-zero otherwise.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@cutover/testkit';

function demo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'demo.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, GITHUB_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The lines after "Timeline", without their times. */
function timeline(output: string): string[] {
  return output
    .slice(output.lastIndexOf('Timeline'))
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^\s*[\d.]+s\s+/, ''))
    .filter(Boolean);
}

describe('npm run demo', () => {
  it('symlink router, four local hosts: 1.0.0 rolled out, 1.1.0 promoted, 1.2.0 caught and rolled back', async () => {
    const { code, output } = await demo([]);
    expect(code, output).toBe(0);
    expect(output).toContain('GitHub records: skipped (no GITHUB_TOKEN)');
    const lines = timeline(output);
    expect(lines).toContainEqual('blue-green-switch: 1.0.0 live on every host, one machine after another');
    expect(lines).toContainEqual('health-watch: 1.0.0 is healthy');
    expect(lines).toContainEqual(expect.stringMatching(/^canary-step: 1\.1\.0 promoted/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^canary-step: 1\.2\.0 aborted: home failed at 25% canary \(unhealthy\): home(: 2\d(\.\d+)?% of \d+ requests failed on 1\.2\.0| error rate worse than 1\.1\.0)/,
      ),
    );
    expect(lines).toContainEqual('rollback: 1.1.0 takes all traffic');
    expect(output).toContain('**Incident: production rolled back from 1.2.0 to 1.1.0**');
    expect(output).toContain('## Five whys');
  });

  it('--router nginx: the same story with weighted traffic through a real nginx', async () => {
    const { code, output } = await demo(['--router', 'nginx']);
    expect(code, output).toBe(0);
    const lines = timeline(output);
    expect(lines).toContainEqual('blue-green-switch: blue -> green, smoke-checked first, read back after');
    expect(lines).toContainEqual(expect.stringMatching(/^canary-step: 1\.1\.0 promoted/));
    expect(lines).toContainEqual(expect.stringMatching(/^canary-step: 1\.2\.0 aborted/));
    expect(lines).toContainEqual('rollback: blue (1.1.0) takes all traffic');
  });
});

// SSH at scale, against real sshd: one connection per host reused by every command of a run, a cap
// on the ssh programs running at once, and the host named when it cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSshConnections, SSH_PARALLEL, sshExecutor } from '@cutover/routers';
import { freePort, startSshd, type Sshd } from '@cutover/testkit';

let sshd: Sshd;

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  closeSshConnections();
  await sshd?.stop();
});

describe('ssh executor', () => {
  it('runs every command to a host over one connection, even commands started together', async () => {
    const executor = sshExecutor(sshd.ssh);
    // SSH_CLIENT holds the client's address and port: one port, one connection.
    const answers = await Promise.all(Array.from({ length: 6 }, () => executor.run(['sh', '-c', 'echo "$SSH_CLIENT"'])));
    const ports = new Set(answers.map((answer) => answer.stdout.trim().split(' ')[1]));
    expect(answers.every((answer) => answer.code === 0)).toBe(true);
    expect(ports.size).toBe(1);
  });

  it(`runs at most ${SSH_PARALLEL} ssh programs at once, over every host`, async () => {
    // Three executors (three routers' worth) and 30 commands at once.
    const executors = [0, 1, 2].map(() => sshExecutor(sshd.ssh));
    const script = 'date +%s%N; sleep 0.2; date +%s%N';
    const spans = await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        const [start, end] = (await executors[index % 3]!.run(['sh', '-c', script])).stdout.trim().split('\n').map(BigInt) as [bigint, bigint];
        return { start, end };
      }),
    );
    const mostAtOnce = Math.max(...spans.map((span) => spans.filter((other) => other.start <= span.start && span.start < other.end).length));
    expect(mostAtOnce).toBeLessThanOrEqual(SSH_PARALLEL);
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('names the host it cannot reach', async () => {
    const port = await freePort();
    const executor = sshExecutor({ ...sshd.ssh, port });
    await expect(executor.run(['true'])).rejects.toThrow(`ssh ${sshd.user}@127.0.0.1:${port}: `);
  });
});

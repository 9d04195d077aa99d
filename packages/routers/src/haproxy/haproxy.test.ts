import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendOverSocket } from './haproxy.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-haproxy-socket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real unix socket server on `path`, answering each connection as `answer` does. */
async function socketServer(path: string, answer: (socket: Socket) => void): Promise<{ stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    answer(socket);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('sendOverSocket', () => {
  it('sends one command and resolves with the reply when HAProxy closes', async () => {
    const path = join(dir, 'answers.sock');
    const server = await socketServer(path, (socket) => socket.once('data', (command) => socket.end(`got ${String(command).trim()}\n`)));
    try {
      expect(await sendOverSocket(path, 'show info')).toBe('got show info\n');
    } finally {
      await server.stop();
    }
  });

  it('gives up at its deadline on a socket that trickles a byte at a time and never finishes', async () => {
    const path = join(dir, 'trickles.sock');
    const timers: NodeJS.Timeout[] = [];
    // A byte every 20 ms: never idle for the 300 ms an idle timeout would wait, never done either.
    const server = await socketServer(path, (socket) => timers.push(setInterval(() => socket.write('.'), 20)));
    try {
      await expect(sendOverSocket(path, 'show servers state app', 300)).rejects.toThrow('no complete reply to "show servers state app" within 300 ms');
    } finally {
      timers.forEach(clearInterval);
      await server.stop();
    }
  });
});

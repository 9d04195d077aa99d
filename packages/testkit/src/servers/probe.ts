import { connect } from 'node:net';

/** True once anything answers HTTP at `url` (any status: a 502 still proves the proxy listens). */
export async function httpAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** True once a TCP server on 127.0.0.1:port sends data starting with `prefix` (an SSH banner). */
export function tcpGreets(port: number, prefix: string, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.length >= prefix.length) finish(received.startsWith(prefix));
    });
    socket.on('end', () => finish(false));
  });
}

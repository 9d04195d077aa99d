import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runLocal, sendOverSocket } from '@cutover/routers';
import { requireBinary, spawnDaemon, stopDaemon, waitReady } from './process.js';
import { httpAnswers } from './probe.js';
import { freePort, makeTempDir, removeDir } from './temp.js';

export const HAPROXY_BINARY = '/usr/sbin/haproxy';

export interface HaproxyServer {
  name: string;
  address: string;
  weight?: number;
  /** Start in drain state (set over the runtime API once running). */
  drain?: boolean;
}

export interface HaproxyOptions {
  /** The backend's name; 'app' unless set. */
  backend?: string;
  servers: HaproxyServer[];
}

export interface Haproxy {
  port: number;
  url: string;
  /** The admin runtime API unix socket. */
  socket: string;
  backend: string;
  configFile: string;
  stop(): Promise<void>;
}

/** Sends one runtime API command over the unix socket and resolves with HAProxy's whole reply. */
export function haproxyCommand(socket: string, command: string): Promise<string> {
  return sendOverSocket(socket, command);
}

/** HAProxy on 127.0.0.1:<free port> with one roundrobin backend and an admin socket in a temp dir. */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  await requireBinary(HAPROXY_BINARY, 'haproxy');
  const backend = options.backend ?? 'app';
  const dir = await makeTempDir('cutover-haproxy-');
  try {
    const port = await freePort();
    const socket = join(dir, 'admin.sock');
    const configFile = join(dir, 'haproxy.cfg');
    await writeFile(configFile, haproxyConfig({ port, socket, backend, servers: options.servers }));
    const checked = await runLocal([HAPROXY_BINARY, '-c', '-q', '-f', configFile]);
    if (checked.code !== 0) throw new Error(`haproxy -c failed for ${configFile}:\n${checked.stdout}${checked.stderr}`);

    // -db: stay in the foreground, so the process we hold is the one serving.
    const daemon = spawnDaemon([HAPROXY_BINARY, '-db', '-f', configFile], join(dir, 'haproxy.log'));
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      await stopDaemon(daemon, 'SIGTERM');
      await removeDir(dir);
    };
    try {
      await waitReady('haproxy', daemon, async () => (await haproxyCommand(socket, 'show info')).includes('Pid:'));
      await waitReady('haproxy', daemon, () => httpAnswers(url + '/'));
      for (const server of options.servers.filter((s) => s.drain)) {
        const reply = await haproxyCommand(socket, `set server ${backend}/${server.name} state drain`);
        if (reply.trim() !== '') throw new Error(`haproxy: could not drain ${server.name}: ${reply.trim()}`);
      }
    } catch (error) {
      await stop();
      throw error;
    }
    return { port, url, socket, backend, configFile, stop };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

function haproxyConfig(c: { port: number; socket: string; backend: string; servers: HaproxyServer[] }): string {
  const servers = c.servers.map((s) => `    server ${s.name} ${s.address} weight ${s.weight ?? 1}`);
  return `global
    stats socket ${c.socket} mode 600 level admin expose-fd listeners
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 10s
    option redispatch
    retries 3

frontend web
    bind 127.0.0.1:${c.port}
    default_backend ${c.backend}

backend ${c.backend}
    balance roundrobin
${servers.join('\n')}
`;
}

import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NGINX_LOG_FORMAT, runLocal } from '@cutover/routers';
import { requireBinary, spawnDaemon, stopDaemon, waitReady } from './process.js';
import { httpAnswers } from './probe.js';
import { freePort, makeTempDir, removeDir } from './temp.js';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface NginxServer {
  address: string;
  weight?: number;
  down?: boolean;
}

export interface NginxOptions {
  /** The upstream block's name; 'app' unless set. */
  upstream?: string;
  servers: NginxServer[];
  keepalive?: boolean;
}

export interface Nginx {
  port: number;
  url: string;
  prefix: string;
  configFile: string;
  /** The file holding only the upstream block: the routers own and rewrite it. */
  upstreamFile: string;
  upstream: string;
  /** argv that tests this instance's configuration. */
  test: string[];
  /** argv that reloads this instance. */
  reload: string[];
  /** The access log in Cutover's log_format: what a router's `access-log` names, for traffic checks. */
  accessLog: string;
  stop(): Promise<void>;
}

/** The upstream block as the routers write it: one `server` line per address. */
export function nginxUpstreamBlock(name: string, servers: NginxServer[], keepalive = false): string {
  const lines = servers.map((s) => `    server ${s.address} weight=${s.weight ?? 1}${s.down ? ' down' : ''};`);
  if (keepalive) lines.push('    keepalive 16;');
  return `upstream ${name} {\n${lines.join('\n')}\n}\n`;
}

/** nginx on 127.0.0.1:<free port>, proxying to an upstream kept in its own file, all state in a temp prefix. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  await requireBinary(NGINX_BINARY, 'nginx-light');
  const upstream = options.upstream ?? 'app';
  const prefix = await makeTempDir('cutover-nginx-');
  try {
    const port = await freePort();
    const configFile = join(prefix, 'nginx.conf');
    const upstreamFile = join(prefix, 'upstream.conf');
    await mkdir(join(prefix, 'logs'));
    await writeFile(upstreamFile, nginxUpstreamBlock(upstream, options.servers, options.keepalive));
    await writeFile(configFile, nginxConfig({ prefix, port, upstream, upstreamFile, tempPaths: await tempPathDirectives() }));
    const base = ['-c', configFile, '-p', prefix];
    const test = [NGINX_BINARY, '-t', ...base];
    const checked = await runLocal(test);
    if (checked.code !== 0) throw new Error(`nginx -t failed for ${configFile}:\n${checked.stderr}`);

    const daemon = spawnDaemon([NGINX_BINARY, ...base], join(prefix, 'logs', 'stderr.log'));
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      // SIGQUIT is nginx's graceful shutdown; stopDaemon kills the group if it lingers.
      await stopDaemon(daemon, 'SIGQUIT');
      await removeDir(prefix);
    };
    try {
      await waitReady('nginx', daemon, () => httpAnswers(url + '/'));
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      port,
      url,
      prefix,
      configFile,
      upstreamFile,
      upstream,
      test,
      reload: [NGINX_BINARY, '-s', 'reload', ...base],
      accessLog: join(prefix, 'logs', 'cutover.log'),
      stop,
    };
  } catch (error) {
    await removeDir(prefix);
    throw error;
  }
}

function nginxConfig(c: { prefix: string; port: number; upstream: string; upstreamFile: string; tempPaths: string[] }): string {
  // Workers need the temp paths inside a root-only temp dir: run them as root when we are root.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 1;
daemon off;
pid ${c.prefix}/nginx.pid;
error_log ${c.prefix}/logs/error.log warn;
events { worker_connections 512; }
http {
    access_log ${c.prefix}/logs/access.log;
    # What Cutover's traffic checks read (docs/routers.md): one line per request, per upstream.
    ${NGINX_LOG_FORMAT}
    access_log ${c.prefix}/logs/cutover.log cutover;
${c.tempPaths.map((line) => `    ${line}`).join('\n')}
    include ${c.upstreamFile};
    server {
        listen 127.0.0.1:${c.port};
        location / {
            proxy_pass http://${c.upstream};
            proxy_next_upstream error timeout http_502 http_503;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_connect_timeout 2s;
        }
    }
}
`;
}

let tempPathCache: Promise<string[]> | undefined;

/**
 * Every temp path of a compiled-in module must be set, or nginx tries to create it under
 * /var/lib/nginx; nginx-light leaves some modules out, and naming theirs would be an error.
 */
function tempPathDirectives(): Promise<string[]> {
  tempPathCache ??= runLocal([NGINX_BINARY, '-V']).then(({ stderr, stdout }) => {
    const build = stderr + stdout;
    const modules = ['fastcgi', 'uwsgi', 'scgi'].filter((m) => !build.includes(`--without-http_${m}_module`));
    return ['client_body_temp_path client_body_temp;', 'proxy_temp_path proxy_temp;', ...modules.map((m) => `${m}_temp_path ${m}_temp;`)];
  });
  return tempPathCache;
}

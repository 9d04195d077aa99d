// Requests to the user's servers go through the proxy the runner names, and around it for the
// hosts NO_PROXY names: shown with the test kit's forward proxy (CONNECT and absolute-URI requests,
// as squid or a corporate proxy takes them), which notes every request it carries.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardProxy, startForwardProxy } from '@cutover/testkit';
import { httpFetch, proxySettings } from './http.js';

let target: Server;
let proxy: ForwardProxy;
let targetPort: number;
let proxyPort: number;
let carried: string[];

beforeAll(async () => {
  target = createServer((request, response) => response.end(`served ${request.method} ${request.url}`));
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  targetPort = (target.address() as AddressInfo).port;
  proxy = await startForwardProxy();
  proxyPort = proxy.port;
  carried = proxy.carried;
});

afterAll(async () => {
  target.closeAllConnections();
  await Promise.all([new Promise((resolve) => target.close(resolve)), proxy.stop()]);
});

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
function setProxy(values: Record<string, string>): void {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  carried.length = 0;
});

describe('httpFetch', () => {
  it('goes through HTTP_PROXY for an http URL', async () => {
    setProxy({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    const response = await httpFetch(`http://127.0.0.1:${targetPort}/metrics?x=1`, { method: 'POST', body: 'q' });
    expect(await response.text()).toBe('served POST /metrics?x=1');
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatch(new RegExp(`^(CONNECT 127\\.0\\.0\\.1:${targetPort}|POST http://127\\.0\\.0\\.1:${targetPort}/metrics\\?x=1)$`));
  });

  it('reads the lower-case http_proxy too', async () => {
    setProxy({ http_proxy: `http://127.0.0.1:${proxyPort}` });
    expect(await (await httpFetch(`http://127.0.0.1:${targetPort}/a`)).text()).toBe('served GET /a');
    expect(carried).toHaveLength(1);
  });

  it('reaches the hosts NO_PROXY names directly, and the others through the proxy', async () => {
    setProxy({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'localhost,.internal.example' });
    expect(await (await httpFetch(`http://localhost:${targetPort}/direct`)).text()).toBe('served GET /direct');
    expect(carried).toEqual([]);
    expect(await (await httpFetch(`http://127.0.0.1:${targetPort}/proxied`)).text()).toBe('served GET /proxied');
    expect(carried).toHaveLength(1);
  });

  it('does not use an https proxy for an http URL', async () => {
    setProxy({ HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect(await (await httpFetch(`http://127.0.0.1:${targetPort}/plain`)).text()).toBe('served GET /plain');
    expect(carried).toEqual([]);
  });

  it('does not use an http proxy for an https URL (no HTTPS_PROXY: direct)', async () => {
    setProxy({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    // Nothing listens for TLS there: the request fails at the server itself, never at the proxy.
    await expect(httpFetch(`https://127.0.0.1:${targetPort}/secure`)).rejects.toThrow();
    expect(carried).toEqual([]);
  });

  it('without proxy variables, asks the server directly', async () => {
    setProxy({});
    expect(proxySettings()).toBe('');
    expect(await (await httpFetch(`http://127.0.0.1:${targetPort}/none`)).text()).toBe('served GET /none');
    expect(carried).toEqual([]);
  });

  it('fails when the proxy cannot be reached, not going around it', async () => {
    setProxy({ HTTP_PROXY: 'http://127.0.0.1:1' });
    await expect(httpFetch(`http://127.0.0.1:${targetPort}/x`)).rejects.toThrow();
  });
});

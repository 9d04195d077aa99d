/**
 * HTTP requests to the user's own servers (alerts, Prometheus, http checks) honour the runner's
 * proxy settings as the GitHub calls do: HTTPS_PROXY/https_proxy for https URLs, HTTP_PROXY/
 * http_proxy for http ones, NO_PROXY/no_proxy for the hosts reached directly. Node's own fetch
 * ignores them unless NODE_USE_ENV_PROXY is set before the process starts, which an action cannot
 * do; undici's EnvHttpProxyAgent reads the same variables (with NO_PROXY's host, domain-suffix,
 * port and `*` forms), so the maintained implementation decides, not a copy of its rules. Without
 * any proxy variable, Node's own fetch is used and undici is not loaded.
 */
import type { Dispatcher } from 'undici';
import { commonJsExports } from './modules.js';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'] as const;

/** The proxy settings in `env`, one string (empty without any proxy): the key of the agent built from them. */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): string {
  if (!PROXY_VARIABLES.some((name) => env[name]?.trim())) return '';
  return JSON.stringify([...PROXY_VARIABLES, ...NO_PROXY_VARIABLES].map((name) => env[name] ?? ''));
}

let agent: { settings: string; dispatcher: Dispatcher } | undefined;

/** The proxy variables that apply to `url`: HTTPS_PROXY's for https, HTTP_PROXY's for http (as @actions/http-client reads them). */
function proxiedProtocol(url: string | URL, env: NodeJS.ProcessEnv = process.env): boolean {
  const names = new URL(String(url)).protocol === 'https:' ? (['HTTPS_PROXY', 'https_proxy'] as const) : (['HTTP_PROXY', 'http_proxy'] as const);
  return names.some((name) => env[name]?.trim());
}

/**
 * fetch through the proxy the environment names for the URL's protocol, if any (see above). Only
 * that protocol's variable counts: undici's agent alone would send https requests through an
 * HTTP_PROXY when no HTTPS_PROXY is set, and a runner whose http-only proxy cannot tunnel would
 * lose GitHub (the review of the GitHub client's move onto this function found it).
 */
export async function httpFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const settings = proxySettings();
  if (!settings || !proxiedProtocol(url)) return fetch(url, init);
  const undici = commonJsExports(await import('undici'), 'EnvHttpProxyAgent');
  if (agent?.settings !== settings) {
    await agent?.dispatcher.close().catch(() => {});
    agent = { settings, dispatcher: quietly('UNDICI-EHPA', () => new undici.EnvHttpProxyAgent()) };
  }
  const response = await undici.fetch(url, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher: agent.dispatcher });
  return response as unknown as Response;
}

/**
 * Runs `make` without the process warning `code`: undici's EnvHttpProxyAgent warns that it is
 * "experimental" when the first one is made, a line on stderr in every step of a runner behind a
 * proxy that says nothing to its users. Every other warning goes through.
 */
function quietly<T>(code: string, make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0];
    if (typeof options === 'object' && options !== null && (options as { code?: string }).code === code) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

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

/** fetch through the proxy the environment names, if any (see above). */
export async function httpFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const settings = proxySettings();
  if (!settings) return fetch(url, init);
  const undici = commonJsExports(await import('undici'), 'EnvHttpProxyAgent');
  if (agent?.settings !== settings) {
    await agent?.dispatcher.close().catch(() => {});
    agent = { settings, dispatcher: new undici.EnvHttpProxyAgent() };
  }
  const response = await undici.fetch(url, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher: agent.dispatcher });
  return response as unknown as Response;
}

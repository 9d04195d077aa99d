// Behind a proxy, as self-hosted runners often are: a bundled action sends its GitHub calls through
// the proxy HTTP_PROXY names. The GitHub client builds on httpFetch (packages/runtime/src/http.ts),
// which loads undici only when a proxy is set, lazily, from its own chunk of dist/: this runs that
// path in the bundle itself (a namespace without undici's functions broke it once, unseen by the
// unit tests that run the sources). Without the variable, the same run goes direct.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSha, type ForwardProxy, type GitHubStandIn, makeTempDir, runAction, startForwardProxy, startGitHubStandIn } from '@cutover/testkit';

let gh: GitHubStandIn;
let proxy: ForwardProxy;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  proxy = await startForwardProxy();
});

afterAll(async () => {
  await Promise.all([proxy.stop(), gh.stop()]);
});

/** test-gate over a JUnit file already written: its GitHub calls are the check run and the branch rules. */
async function gate(env: Record<string, string | undefined>) {
  const workspace = await makeTempDir('proxy-');
  await mkdir(join(workspace, 'test-results'), { recursive: true });
  await writeFile(join(workspace, 'test-results', 'junit.xml'), '<testsuite name="s" tests="1"><testcase classname="c" name="passes"/></testsuite>\n');
  const sha = fakeSha(`proxy-${Object.keys(env).length}`);
  const repository = { default_branch: 'main' };
  return runAction('test-gate', {
    workspace,
    apiUrl: gh.apiUrl,
    token: gh.token,
    repository: `${gh.owner}/${gh.repo}`,
    eventName: 'push',
    sha,
    ref: 'refs/heads/topic',
    event: { ref: 'refs/heads/topic', before: fakeSha('proxy-before'), after: sha, repository },
    inputs: { command: 'true', results: 'test-results/*.xml' },
    timeoutMs: 30_000,
    env: { NO_PROXY: undefined, no_proxy: undefined, HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, ...env },
  });
}

describe('GitHub calls behind a proxy', () => {
  it('go through HTTP_PROXY from the bundle, and direct without it', async () => {
    const direct = await gate({});
    expect(direct.exitCode, direct.stdout).toBe(0);
    expect(proxy.carried).toEqual([]);

    const proxied = await gate({ HTTP_PROXY: proxy.url });
    expect(proxied.exitCode, proxied.stdout).toBe(0);
    // The branch rules were read through the proxy: what they say, not that they could not be read.
    expect(proxied.warnings).toEqual(direct.warnings);
    expect(proxied.warnings.join('\n')).toContain('no rule of main requires the check test-gate');
    expect(proxied.outputs).toMatchObject({ conclusion: 'success', total: '1', passed: '1' });
    // undici's "EnvHttpProxyAgent is experimental" is not printed in the user's log.
    expect(proxied.stderr).not.toMatch(/experimental|Warning/);
    const api = new URL(gh.apiUrl);
    // undici opens a tunnel per connection (CONNECT host:port), also for http:// targets; a proxy
    // taking absolute URIs would see each request instead. Either way, only the API's host.
    expect(proxy.carried.length).toBeGreaterThan(0);
    expect(proxy.carried.every((line) => line === `CONNECT ${api.host}` || line.startsWith(`${line.split(' ')[0]} http://${api.host}/`))).toBe(true);
    expect(gh.store.checkRunsFor(fakeSha('proxy-1'))).toHaveLength(1);
    gh.assertNoViolations();
  });
});

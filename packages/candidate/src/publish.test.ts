import { describe, expect, it } from 'vitest';
import { artifactBlocker, attestBlocker, checkPublishPrerequisites, defaultPublishTarget, onEnterpriseServer } from './publish.js';

const RUNNER = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results' };
const OIDC = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };

describe('publish prerequisites', () => {
  it('artifact needs the runner services', () => {
    expect(artifactBlocker(RUNNER)).toBeUndefined();
    expect(artifactBlocker({})).toBe(
      'publish: artifact needs a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set); use publish: release or publish: none elsewhere',
    );
    expect(artifactBlocker({ ACTIONS_RUNTIME_TOKEN: 't' })).toMatch(/\(ACTIONS_RESULTS_URL is not set\)/);
  });

  it('artifact is refused on GitHub Enterprise Server, where @actions/artifact v6 does not upload', () => {
    expect(artifactBlocker({ ...RUNNER, GITHUB_SERVER_URL: 'https://github.com' })).toBeUndefined();
    expect(artifactBlocker({ ...RUNNER, GITHUB_SERVER_URL: 'https://git.example.com' })).toBe(
      'publish: artifact is not available on GitHub Enterprise Server (https://git.example.com): @actions/artifact v6 does not support it; use publish: release (the default there) or publish: none',
    );
  });

  it('tells GitHub Enterprise Server by the server URL, as @actions/artifact does', () => {
    for (const url of [undefined, '', 'https://github.com', 'https://GitHub.com/', 'https://acme.ghe.com', 'http://api.localhost:3000', 'not a url']) {
      expect([url, onEnterpriseServer(url)]).toEqual([url, false]);
    }
    for (const url of ['https://git.example.com', 'https://github.example.com', 'http://10.0.0.5']) expect([url, onEnterpriseServer(url)]).toEqual([url, true]);
    expect(defaultPublishTarget({ GITHUB_SERVER_URL: 'https://git.example.com' })).toBe('release');
    expect(defaultPublishTarget({})).toBe('artifact');
  });

  it('attest needs an OIDC token (id-token: write) and a token', () => {
    expect(attestBlocker(OIDC, 'ghs')).toBeUndefined();
    expect(attestBlocker({}, 'ghs')).toMatch(/^attest: true needs the job permissions id-token: write and attestations: write/);
    expect(attestBlocker(OIDC, undefined)).toMatch(/needs a token/);
  });

  it('checks only what was asked for, and reports every blocker at once', () => {
    expect(() => checkPublishPrerequisites({}, { publish: 'none', attest: false, token: undefined })).not.toThrow();
    expect(() => checkPublishPrerequisites({}, { publish: 'release', attest: false, token: 'x' })).not.toThrow();
    expect(() => checkPublishPrerequisites({}, { publish: 'artifact', attest: true, token: 'x' })).toThrow(/^publish: artifact .*; attest: true needs/);
  });
});

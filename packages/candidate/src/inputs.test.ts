import { describe, expect, it } from 'vitest';
import { parseCandidateInputs } from './inputs.js';

const DEFAULTS: Record<string, string> = { name: 'app', 'require-gate': 'true', 'gate-name': 'test-gate', attest: 'false', token: 'ghs_x' };
const read = (inputs: Record<string, string>) => (name: string) => ({ ...DEFAULTS, ...inputs })[name] ?? '';
const GITHUB_COM = { GITHUB_SERVER_URL: 'https://github.com' };
const GHES = { GITHUB_SERVER_URL: 'https://git.example.com' };

describe('parseCandidateInputs', () => {
  it('reads a build with the defaults of action.yml', () => {
    expect(parseCandidateInputs(read({ path: 'dist\n!dist/**/*.map' }), GITHUB_COM)).toEqual({
      mode: 'build',
      paths: ['dist', '!dist/**/*.map'],
      name: 'app',
      version: undefined,
      command: undefined,
      publish: 'artifact',
      requireGate: true,
      gateName: 'test-gate',
      gateTimeoutMs: 600_000,
      attest: false,
      token: 'ghs_x',
    });
  });

  it('reads a promotion, and refuses building inputs beside it', () => {
    expect(parseCandidateInputs(read({ promote: 'v1.4.1-rc.57.g1a2b3c4' }), GITHUB_COM)).toEqual({
      mode: 'promote',
      version: '1.4.1-rc.57.g1a2b3c4',
      token: 'ghs_x',
    });
    expect(() => parseCandidateInputs(read({ promote: '1.0.0', path: 'dist', command: 'make' }), GITHUB_COM)).toThrow(
      /^promote: nothing is built when promote is set; remove path, command/,
    );
    expect(() => parseCandidateInputs(read({ promote: '1.0.0', token: '' }), GITHUB_COM)).toThrow(/^promote: needs a token/);
    expect(() => parseCandidateInputs(read({ promote: 'latest' }), GITHUB_COM)).toThrow(/^promote: "latest" is not a SemVer version/);
  });

  it('names the bad input', () => {
    expect(() => parseCandidateInputs(read({}), GITHUB_COM)).toThrow(/^path: input required/);
    expect(() => parseCandidateInputs(read({ path: 'dist', publish: 's3' }), GITHUB_COM)).toThrow(
      /^publish: expected one of artifact, release, none, got "s3"/,
    );
    expect(() => parseCandidateInputs(read({ path: 'dist', 'require-gate': 'maybe' }), GITHUB_COM)).toThrow(/^require-gate: expected true or false/);
    expect(() => parseCandidateInputs(read({ path: 'dist', attest: 'y' }), GITHUB_COM)).toThrow(/^attest: expected true or false/);
    expect(() => parseCandidateInputs(read({ path: 'dist', 'gate-timeout': 'soon' }), GITHUB_COM)).toThrow(/^gate-timeout: expected a duration such as 30s/);
    expect(parseCandidateInputs(read({ path: 'dist', 'gate-timeout': '20m' }), GITHUB_COM)).toMatchObject({ gateTimeoutMs: 1_200_000 });
    expect(() => parseCandidateInputs(read({ path: 'dist', name: 'a/b' }), GITHUB_COM)).toThrow(/^name: "a\/b" must be/);
    expect(() => parseCandidateInputs(read({ path: 'dist', version: '1.2' }), GITHUB_COM)).toThrow(/^version: "1.2" is not a SemVer version/);
  });

  it('without a token: refuses the gate and releases, saying how to fix it, and allows the rest', () => {
    expect(() => parseCandidateInputs(read({ path: 'dist', token: '' }), GITHUB_COM)).toThrow(
      /^require-gate: .*needs a token: pass token: \$\{\{ github\.token \}\}.*or set require-gate: false/,
    );
    expect(() => parseCandidateInputs(read({ path: 'dist', token: '', 'require-gate': 'false', publish: 'release' }), GITHUB_COM)).toThrow(
      /^publish: release needs a token/,
    );
    expect(parseCandidateInputs(read({ path: 'dist', token: '', 'require-gate': 'false', publish: 'none' }), GITHUB_COM)).toMatchObject({
      mode: 'build',
      token: undefined,
    });
  });

  it('publishes to an artifact by default, and to a release on GitHub Enterprise Server', () => {
    expect(parseCandidateInputs(read({ path: 'dist' }), GITHUB_COM)).toMatchObject({ publish: 'artifact' });
    expect(parseCandidateInputs(read({ path: 'dist' }), {})).toMatchObject({ publish: 'artifact' });
    expect(parseCandidateInputs(read({ path: 'dist' }), { GITHUB_SERVER_URL: 'https://acme.ghe.com' })).toMatchObject({ publish: 'artifact' });
    expect(parseCandidateInputs(read({ path: 'dist' }), GHES)).toMatchObject({ publish: 'release' });
    expect(parseCandidateInputs(read({ path: 'dist', publish: 'none' }), GHES)).toMatchObject({ publish: 'none' });
    expect(parseCandidateInputs(read({ path: 'dist', publish: 'artifact' }), GHES)).toMatchObject({ publish: 'artifact' });
    expect(() => parseCandidateInputs(read({ path: 'dist', token: '', 'require-gate': 'false' }), GHES)).toThrow(
      /^publish: release \(the default on GitHub Enterprise Server\) needs a token with contents: write \(the token input\), or set publish: none$/,
    );
  });
});

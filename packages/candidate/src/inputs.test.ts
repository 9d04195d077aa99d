import { describe, expect, it } from 'vitest';
import { parseCandidateInputs } from './inputs.js';

const DEFAULTS: Record<string, string> = { name: 'app', publish: 'artifact', 'require-gate': 'true', 'gate-name': 'test-gate', attest: 'false', token: 'ghs_x' };
const read = (inputs: Record<string, string>) => (name: string) => ({ ...DEFAULTS, ...inputs })[name] ?? '';

describe('parseCandidateInputs', () => {
  it('reads a build with the defaults of action.yml', () => {
    expect(parseCandidateInputs(read({ path: 'dist\n!dist/**/*.map' }))).toEqual({
      mode: 'build',
      paths: ['dist', '!dist/**/*.map'],
      name: 'app',
      version: undefined,
      command: undefined,
      publish: 'artifact',
      requireGate: true,
      gateName: 'test-gate',
      attest: false,
      token: 'ghs_x',
    });
  });

  it('reads a promotion, and refuses building inputs beside it', () => {
    expect(parseCandidateInputs(read({ promote: 'v1.4.1-rc.57.g1a2b3c4' }))).toEqual({ mode: 'promote', version: '1.4.1-rc.57.g1a2b3c4', token: 'ghs_x' });
    expect(() => parseCandidateInputs(read({ promote: '1.0.0', path: 'dist', command: 'make' }))).toThrow(/^promote: nothing is built when promote is set; remove path, command/);
    expect(() => parseCandidateInputs(read({ promote: '1.0.0', token: '' }))).toThrow(/^promote: needs a token/);
    expect(() => parseCandidateInputs(read({ promote: 'latest' }))).toThrow(/^promote: "latest" is not a SemVer version/);
  });

  it('names the bad input', () => {
    expect(() => parseCandidateInputs(read({}))).toThrow(/^path: input required/);
    expect(() => parseCandidateInputs(read({ path: 'dist', publish: 's3' }))).toThrow(/^publish: expected one of artifact, release, none, got "s3"/);
    expect(() => parseCandidateInputs(read({ path: 'dist', 'require-gate': 'maybe' }))).toThrow(/^require-gate: expected true or false/);
    expect(() => parseCandidateInputs(read({ path: 'dist', attest: 'y' }))).toThrow(/^attest: expected true or false/);
    expect(() => parseCandidateInputs(read({ path: 'dist', name: 'a/b' }))).toThrow(/^name: "a\/b" must be/);
    expect(() => parseCandidateInputs(read({ path: 'dist', version: '1.2' }))).toThrow(/^version: "1.2" is not a SemVer version/);
  });

  it('without a token: refuses the gate and releases, saying how to fix it, and allows the rest', () => {
    expect(() => parseCandidateInputs(read({ path: 'dist', token: '' }))).toThrow(/^require-gate: .*needs a token: pass token: \$\{\{ github\.token \}\}.*or set require-gate: false/);
    expect(() => parseCandidateInputs(read({ path: 'dist', token: '', 'require-gate': 'false', publish: 'release' }))).toThrow(/^publish: release needs a token/);
    expect(parseCandidateInputs(read({ path: 'dist', token: '', 'require-gate': 'false', publish: 'none' }))).toMatchObject({ mode: 'build', token: undefined });
  });
});

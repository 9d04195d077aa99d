/** build-candidate's inputs, parsed and checked together before anything happens. Pure. */
import { InputError, parseBoolean, parseChoice, parseDuration, parseDurationInput, parseGlobs } from '@cutover/config';
import { defaultPublishTarget } from './publish.js';
import { parseVersionInput } from './version.js';

export const PUBLISH_TARGETS = ['artifact', 'release', 'none'] as const;
export type PublishTarget = (typeof PUBLISH_TARGETS)[number];

export interface BuildInputs {
  mode: 'build';
  paths: string[];
  name: string;
  version: string | undefined;
  command: string | undefined;
  publish: PublishTarget;
  requireGate: boolean;
  gateName: string;
  /** How long require-gate waits for a gate that is missing, queued or in progress. */
  gateTimeoutMs: number;
  attest: boolean;
  token: string | undefined;
}

export interface PromoteInputs {
  mode: 'promote';
  version: string;
  token: string;
}

export type CandidateInputs = BuildInputs | PromoteInputs;

/** gate-timeout's default: a test suite of a few minutes, with room for a queue of runners. */
export const DEFAULT_GATE_TIMEOUT = '10m';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `read(name)` gives an input's raw text ('' when unset), as core.getInput does. `env` gives
 * GITHUB_SERVER_URL, which decides the default of `publish` (defaultPublishTarget).
 */
export function parseCandidateInputs(read: (name: string) => string, env: Record<string, string | undefined> = process.env): CandidateInputs {
  const token = read('token').trim() || undefined;
  const promote = parseVersionInput(read('promote'), 'promote');
  if (promote !== undefined) {
    const building = ['path', 'command', 'version'].filter((name) => read(name).trim() !== '');
    if (building.length > 0) {
      throw new InputError(`promote: nothing is built when promote is set; remove ${building.join(', ')} (use another step to build)`);
    }
    if (!token) throw new InputError('promote: needs a token with contents: write (the token input) to update the release');
    return { mode: 'promote', version: promote, token };
  }

  const paths = parseGlobs(read('path'));
  if (paths.length === 0) throw new InputError('path: input required (globs of the files to pack, one per line) unless promote is set');
  const name = read('name').trim();
  if (!NAME.test(name)) throw new InputError(`name: "${name}" must be letters, digits, dots, dashes or underscores (it names the archive)`);
  const publish = parseChoice(read('publish'), 'publish', PUBLISH_TARGETS, defaultPublishTarget(env));
  const requireGate = parseBoolean(read('require-gate'), 'require-gate', true);
  const gateName = read('gate-name').trim() || 'test-gate';
  const gateTimeoutMs = parseDurationInput(read('gate-timeout'), 'gate-timeout', parseDuration(DEFAULT_GATE_TIMEOUT, 'gate-timeout'))!;
  const attest = parseBoolean(read('attest'), 'attest', false);
  if (requireGate && !token) {
    throw new InputError(
      'require-gate: reading the gate check run needs a token: pass token: ${{ github.token }} (with checks: read), or set require-gate: false to build without the gate',
    );
  }
  if (publish === 'release' && !token) {
    const implied = read('publish').trim() === '' ? ' (the default on GitHub Enterprise Server)' : '';
    throw new InputError(`publish: release${implied} needs a token with contents: write (the token input), or set publish: none`);
  }
  return {
    mode: 'build',
    paths,
    name,
    version: parseVersionInput(read('version'), 'version'),
    command: read('command').trim() || undefined,
    publish,
    requireGate,
    gateName,
    gateTimeoutMs,
    attest,
    token,
  };
}

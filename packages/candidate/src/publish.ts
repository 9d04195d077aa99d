/**
 * Publishing a candidate as a workflow artifact, and attesting its provenance. Both need services
 * only a GitHub runner provides; their absence is found before anything is built and said plainly.
 */
import { basename, dirname } from 'node:path';
import { InputError } from '@cutover/config';

type Env = Record<string, string | undefined>;

function missing(env: Env, names: readonly string[]): string[] {
  return names.filter((name) => !env[name]);
}

/**
 * Pure: whether the run is on GitHub Enterprise Server, by @actions/artifact v6's own rule (its
 * isGhes): any GITHUB_SERVER_URL host but github.com, *.ghe.com (GitHub Enterprise Cloud with data
 * residency, which has artifacts) and *.localhost. That library refuses to upload there.
 */
export function onEnterpriseServer(serverUrl: string | undefined): boolean {
  let host: string;
  try {
    host = new URL(serverUrl || 'https://github.com').hostname.toLowerCase();
  } catch {
    return false;
  }
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/**
 * Pure: `publish` when the input is empty. `artifact` where workflow artifacts work; `release` on
 * GitHub Enterprise Server, where @actions/artifact v6 does not upload (a GitHub pre-release is
 * what works there).
 */
export function defaultPublishTarget(env: Env): 'artifact' | 'release' {
  return onEnterpriseServer(env.GITHUB_SERVER_URL) ? 'release' : 'artifact';
}

/** Pure: why `publish: artifact` cannot work in this environment, or undefined when it can. */
export function artifactBlocker(env: Env): string | undefined {
  if (onEnterpriseServer(env.GITHUB_SERVER_URL)) {
    return `publish: artifact is not available on GitHub Enterprise Server (${env.GITHUB_SERVER_URL}): @actions/artifact v6 does not support it; use publish: release (the default there) or publish: none`;
  }
  const absent = missing(env, ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL']);
  if (absent.length === 0) return undefined;
  return `publish: artifact needs a GitHub Actions runner (${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not set); use publish: release or publish: none elsewhere`;
}

/** Pure: why `attest: true` cannot work here, or undefined when it can. */
export function attestBlocker(env: Env, token: string | undefined): string | undefined {
  const absent = missing(env, ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  if (absent.length > 0) {
    return `attest: true needs the job permissions id-token: write and attestations: write (${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not set: the job cannot request an OIDC token)`;
  }
  if (!token) return 'attest: true needs a token (the token input) to store the attestation';
  return undefined;
}

/** Throws the blocker of what was asked for, before anything is built. */
export function checkPublishPrerequisites(env: Env, options: { publish: string; attest: boolean; token: string | undefined }): void {
  const blockers = [options.publish === 'artifact' ? artifactBlocker(env) : undefined, options.attest ? attestBlocker(env, options.token) : undefined];
  const reasons = blockers.filter((reason): reason is string => reason !== undefined);
  if (reasons.length > 0) throw new InputError(reasons.join('; '));
}

/** Uploads the archive and its manifest as one workflow artifact named `name`. Returns its id. */
export async function uploadArtifact(name: string, archivePath: string, manifestPath: string): Promise<number | undefined> {
  // Loaded on demand: the artifact client is large and most runs of this action do not need it.
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const root = dirname(archivePath);
  if (dirname(manifestPath) !== root) throw new Error(`artifact: ${basename(manifestPath)} must sit beside ${basename(archivePath)}`);
  const result = await new DefaultArtifactClient().uploadArtifact(name, [archivePath, manifestPath], root);
  return result.id;
}

/**
 * A signed SLSA build provenance attestation of the archive, stored with the repository's
 * attestations. Needs `id-token: write` and `attestations: write`. Returns the attestation's id.
 */
export async function attestArchive(archiveName: string, digest: string, token: string): Promise<string | undefined> {
  const { attestProvenance } = await import('@actions/attest');
  const attestation = await attestProvenance({
    subjects: [{ name: archiveName, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    token,
  });
  return attestation.attestationID;
}

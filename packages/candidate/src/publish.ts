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

/** Pure: why `publish: artifact` cannot work in this environment, or undefined when it can. */
export function artifactBlocker(env: Env): string | undefined {
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

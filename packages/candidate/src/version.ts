/**
 * Candidate versions. Default: `<next patch>-rc.<run number>.g<short sha>`, e.g.
 * `1.4.1-rc.57.g1a2b3c4` after v1.4.0. SemVer orders it after the last release and before the
 * release it leads to, and by run number among candidates (numeric identifiers compare as
 * numbers). The sha carries a `g` (as in git describe) so that an all-digit sha never becomes a
 * numeric identifier with a leading zero, which SemVer forbids. No `+build` part: SemVer ignores it
 * in ordering and GitHub rewrites `+` in asset names. The git tag is `v<version>`.
 */
// semver's functions one by one: its index loads every range and comparator with their patterns,
// 2.4 ms of the action's start (timed in the bundle); these load the version class alone.
import inc from 'semver/functions/inc.js';
import major from 'semver/functions/major.js';
import minor from 'semver/functions/minor.js';
import patch from 'semver/functions/patch.js';
import prerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import valid from 'semver/functions/valid.js';
import { InputError } from '@cutover/config';

/** The version of the first candidate of a repository with no release yet. */
export const FIRST_VERSION = '0.1.0';

export interface PublishedRelease {
  tag: string;
  prerelease: boolean;
  draft: boolean;
}

export function tagOf(version: string): string {
  return `v${version}`;
}

/** A `version` or `promote` input: SemVer, with or without a leading `v`. */
export function parseVersionInput(text: string, field: string): string | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const version = valid(value.replace(/^v/, ''));
  if (!version) throw new InputError(`${field}: "${text}" is not a SemVer version such as 1.4.1 or 1.4.1-rc.57.g1a2b3c4`);
  return version;
}

/**
 * The highest released version, or undefined. Plain `v<x.y.z>` tags count as releases; a published
 * GitHub release (not a draft, not a pre-release) counts by its core version, so that a promoted
 * candidate (`v1.4.1-rc.57.g1a2b3c4`, now a release) means 1.4.1 was released.
 */
export function lastReleased(tags: readonly string[], releases: readonly PublishedRelease[] = []): string | undefined {
  const versions: string[] = [];
  for (const tag of tags) {
    if (!tag.startsWith('v')) continue;
    const version = valid(tag.slice(1));
    if (version && prerelease(version) === null) versions.push(version);
  }
  for (const release of releases) {
    if (release.draft || release.prerelease) continue;
    const version = valid(release.tag.replace(/^v/, ''));
    if (version) versions.push(`${major(version)}.${minor(version)}.${patch(version)}`);
  }
  return versions.sort(rcompare)[0];
}

export interface CandidateVersionInput {
  lastRelease: string | undefined;
  runNumber: number;
  sha: string;
}

export function candidateVersion({ lastRelease, runNumber, sha }: CandidateVersionInput): string {
  if (!Number.isInteger(runNumber) || runNumber < 1) throw new Error(`candidate version: run number must be a whole number of at least 1, got ${runNumber}`);
  if (!/^[0-9a-f]{7,}$/i.test(sha)) throw new Error(`candidate version: "${sha}" is not a commit sha`);
  const base = lastRelease ? inc(lastRelease, 'patch')! : FIRST_VERSION;
  return `${base}-rc.${runNumber}.g${sha.slice(0, 7).toLowerCase()}`;
}

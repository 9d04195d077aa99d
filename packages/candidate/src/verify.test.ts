import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf, gzipReproducible, packEntries } from './archive.js';
import { manifestFiles, parseManifest, serializeManifest, type CandidateManifest } from './manifest.js';
import { writeTar, type TarEntry } from './tar.js';
import { checkArchive, extractCandidate, verifyCandidate } from './verify.js';

const ENTRIES: TarEntry[] = [
  { path: 'bin/run', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
  { path: 'dist/app.js', mode: 0o644, data: Buffer.from('console.log(1)\n') },
];

async function candidate(entries: TarEntry[] = ENTRIES): Promise<{ archive: Buffer; manifest: CandidateManifest }> {
  const packed = await packEntries(entries, 1_700_000_000);
  const manifest: CandidateManifest = {
    schema: 'cutover/candidate@1',
    name: 'app',
    version: '1.0.1-rc.7.gaaaaaaa',
    commit: 'a'.repeat(40),
    commitTime: '2023-11-14T22:13:20.000Z',
    ref: 'refs/heads/main',
    runUrl: 'https://github.com/o/app/actions/runs/1001',
    archive: { file: 'app-1.0.1-rc.7.gaaaaaaa.tar.gz', digest: packed.digest, size: packed.archive.length, tarDigest: packed.tarDigest },
    files: manifestFiles(packed.entries),
    gate: { name: 'test-gate', checkRunId: 3, url: 'https://github.com/o/app/runs/3', conclusion: 'success' },
  };
  return { archive: packed.archive, manifest };
}

/** A different archive whose manifest is rewritten to its digest: only the per-file check can catch it. */
function relabel(archive: Buffer, manifest: CandidateManifest): CandidateManifest {
  return { ...manifest, archive: { ...manifest.archive, digest: digestOf(archive), size: archive.length } };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('checkArchive', () => {
  it('returns the entries of a matching archive', async () => {
    const { archive, manifest } = await candidate();
    expect((await checkArchive(archive, manifest, 'a.tar.gz')).map((entry) => entry.path)).toEqual(['bin/run', 'dist/app.js']);
  });

  it('refuses an archive whose digest differs, naming both digests', async () => {
    const { archive, manifest } = await candidate();
    const tampered = Buffer.from(archive);
    tampered[tampered.length - 20]! ^= 0xff;
    await expect(checkArchive(tampered, manifest, 'a.tar.gz')).rejects.toThrow(
      new RegExp(`^a\\.tar\\.gz: digest sha256:[0-9a-f]{64} does not match the manifest's ${manifest.archive.digest}`),
    );
  });

  it('refuses changed, extra and missing files even when the archive digest was rewritten', async () => {
    const { manifest } = await candidate();
    const changed = await gzipReproducible(
      await writeTar(
        [
          { path: 'bin/run', mode: 0o644, data: Buffer.from('#!/bin/sh\necho hi\n') },
          { path: 'dist/app.js', mode: 0o644, data: Buffer.from('console.log(2)\n') },
          { path: 'extra.txt', mode: 0o644, data: Buffer.from('x') },
        ],
        0,
      ),
    );
    const message = await checkArchive(changed, relabel(changed, manifest), 'c.tar.gz').catch((error: Error) => error.message);
    expect(message).toMatch(/bin\/run has mode 644, the manifest says 0755/);
    expect(message).toMatch(/dist\/app\.js has sha256 [0-9a-f]{64}, the manifest says/);
    expect(message).toMatch(/extra\.txt is not in the manifest/);
    const fewer = await gzipReproducible(await writeTar([ENTRIES[0]!], 0));
    await expect(checkArchive(fewer, relabel(fewer, manifest), 'f.tar.gz')).rejects.toThrow(/dist\/app\.js is missing from the archive/);
  });

  it('refuses bytes that are not a .tar.gz', async () => {
    const { manifest } = await candidate();
    const junk = Buffer.from('not gzip');
    await expect(checkArchive(junk, relabel(junk, manifest), 'j')).rejects.toThrow(/^j: cannot be read as a \.tar\.gz/);
  });
});

describe('verifyCandidate and extractCandidate', () => {
  it('verify files on disk, then extract them with their modes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-verify-'));
    dirs.push(dir);
    const { archive, manifest } = await candidate();
    writeFileSync(join(dir, 'a.tar.gz'), archive);
    writeFileSync(join(dir, 'candidate.json'), serializeManifest(manifest));
    expect(await verifyCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'))).toEqual(manifest);
    await extractCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'), join(dir, 'out'));
    expect(readFileSync(join(dir, 'out/dist/app.js'), 'utf8')).toBe('console.log(1)\n');
    expect(statSync(join(dir, 'out/bin/run')).mode & 0o777).toBe(0o755);

    writeFileSync(join(dir, 'a.tar.gz'), Buffer.concat([archive, Buffer.from('\n')]));
    await expect(verifyCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'))).rejects.toThrow(/a\.tar\.gz: has \d+ bytes, the manifest says \d+/);
    await expect(extractCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'), join(dir, 'out2'))).rejects.toThrow(/the manifest says/);
    const flipped = Buffer.from(archive);
    flipped[flipped.length - 20]! ^= 0xff;
    writeFileSync(join(dir, 'a.tar.gz'), flipped);
    await expect(verifyCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'))).rejects.toThrow(/does not match the manifest's/);
    await expect(extractCandidate(join(dir, 'a.tar.gz'), join(dir, 'candidate.json'), join(dir, 'out2'))).rejects.toThrow(/does not match/);
    expect(() => statSync(join(dir, 'out2'))).toThrow(/ENOENT/);
    await expect(verifyCandidate(join(dir, 'missing.tar.gz'), join(dir, 'candidate.json'))).rejects.toThrow(/missing\.tar\.gz: cannot be read \(ENOENT\)/);
  });
});

describe('parseManifest', () => {
  it('round-trips and names the bad field', async () => {
    const { manifest } = await candidate();
    expect(parseManifest(serializeManifest(manifest), 'm.json')).toEqual(manifest);
    expect(() => parseManifest('{', 'm.json')).toThrow(/^m\.json: not JSON/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, archive: { ...manifest.archive, digest: 'md5:x' } }), 'm.json')).toThrow(
      /^m\.json: archive\.digest must be sha256:<64 hex digits>/,
    );
    const files = [{ ...manifest.files[0]!, mode: '0600' }];
    expect(() => parseManifest(JSON.stringify({ ...manifest, files }), 'm.json')).toThrow(/files\[0\]\.mode must be "0644" or "0755"/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, schema: 'x' }), 'm.json')).toThrow(/schema must be "cutover\/candidate@1"/);
  });
});

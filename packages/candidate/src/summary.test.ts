import { describe, expect, it } from 'vitest';
import type { CandidateManifest } from './manifest.js';
import { candidateSummary } from './summary.js';

const manifest: CandidateManifest = {
  schema: 'cutover/candidate@1',
  name: 'app',
  version: '1.4.1-rc.57.g1a2b3c4',
  commit: '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d',
  commitTime: '2026-01-01T00:00:00.000Z',
  ref: 'refs/heads/main',
  runUrl: 'https://github.com/o/app/actions/runs/1',
  archive: { file: 'app-1.4.1-rc.57.g1a2b3c4.tar.gz', digest: `sha256:${'a'.repeat(64)}`, size: 2048, tarDigest: `sha256:${'b'.repeat(64)}` },
  files: [
    { path: 'a|b.txt', size: 10, sha256: 'c'.repeat(64), mode: '0644' },
    { path: 'big.bin', size: 3 * 1024 * 1024, sha256: 'd'.repeat(64), mode: '0755' },
  ],
  gate: { name: 'test-gate', checkRunId: 9, url: 'https://github.com/o/app/runs/9', conclusion: 'success' },
};

describe('candidateSummary', () => {
  it('shows version, digest, file count, sizes and the gate link', () => {
    const text = candidateSummary({ manifest, action: 'built', published: '[release v1](https://x)' });
    expect(text).toContain('## Release candidate app 1.4.1-rc.57.g1a2b3c4 built');
    expect(text).toContain(`| Digest | \`sha256:${'a'.repeat(64)}\` |`);
    expect(text).toContain('| Files | 2 |');
    expect(text).toContain('| Size | 2.0 KiB packed, 3.0 MiB unpacked |');
    expect(text).toContain('| Gate | [test-gate: success](https://github.com/o/app/runs/9) |');
    expect(text).toContain('| Published | [release v1](https://x) |');
    // Largest first; a pipe in a path does not break the table.
    expect(text.indexOf('big.bin')).toBeLessThan(text.indexOf('a\\|b.txt'));
  });

  it('says when the gate was not required and nothing was published', () => {
    const text = candidateSummary({ manifest: { ...manifest, gate: null }, action: 'built' });
    expect(text).toContain('| Gate | not required (require-gate: false) |');
    expect(text).toContain('| Published | not published (publish: none) |');
  });
});

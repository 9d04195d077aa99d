import { describe, expect, it } from 'vitest';
import { resumeRelease } from './releases.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const files = [
  { name: 'app-1.0.0-rc.1.tar.gz', digest: A },
  { name: 'candidate.json', digest: B },
];

describe('resumeRelease', () => {
  it('uploads only what a re-run finds missing when the bytes are the same', () => {
    const release = { prerelease: true, html_url: 'u', assets: [{ name: 'app-1.0.0-rc.1.tar.gz', digest: A }] };
    expect(resumeRelease('v1.0.0-rc.1', release, files)).toEqual({ upload: ['candidate.json'] });
    expect(resumeRelease('v1.0.0-rc.1', { ...release, assets: [...release.assets, { name: 'candidate.json', digest: B }] }, files)).toEqual({ upload: [] });
  });

  it('refuses other bytes under the same version, and a release already promoted', () => {
    const other = { prerelease: true, html_url: 'u', assets: [{ name: 'app-1.0.0-rc.1.tar.gz', digest: B }] };
    expect(resumeRelease('v1.0.0-rc.1', other, files)).toEqual({ refuse: expect.stringContaining('already exists with another app-1.0.0-rc.1.tar.gz') });
    expect(resumeRelease('v1.0.0-rc.1', { prerelease: false, html_url: 'u', assets: [] }, files)).toEqual({
      refuse: expect.stringContaining('no longer a pre-release: u'),
    });
  });
});

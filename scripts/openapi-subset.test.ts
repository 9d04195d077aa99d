import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./openapi-subset.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('../packages/testkit/fixtures/github-openapi.json', import.meta.url));

describe('openapi-subset', () => {
  it('the committed fixture is what the script writes from @octokit/openapi (fetched at its pinned version)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check']);
    expect(stdout).toMatch(/is up to date/);
    // The first run on a machine fetches GitHub's description (see openapiSource).
  }, 300_000);

  it('keeps the operations Cutover calls and the components they reach, nothing dangling', () => {
    const document = JSON.parse(readFileSync(fixture, 'utf8'));
    const operations = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operations).toEqual(expect.arrayContaining(['repos/create-deployment', 'checks/update', 'repos/get-branch-rules', 'repos/upload-release-asset']));
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];
    for (const [, kind, name] of refs) expect(document.components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });
});

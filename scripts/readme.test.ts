// The README's generated parts match action.yml, the docs and the schema; each action's page in
// docs/ names every input and output its action.yml declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTIONS, generatedReadme } from './readme.js';

const root = join(new URL('.', import.meta.url).pathname, '..');

describe('README.md', () => {
  it('is what npm run build writes', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(generatedReadme(readme)).toBe(readme);
  });

  it.each(ACTIONS)('docs/actions/%s.md names every input and output', (name) => {
    const action = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as { inputs: object; outputs: object };
    const doc = readFileSync(join(root, 'docs', 'actions', `${name}.md`), 'utf8');
    const missing = [...Object.keys(action.inputs), ...Object.keys(action.outputs)].filter((field) => !doc.includes(`\`${field}\``));
    expect(missing).toEqual([]);
  });
});

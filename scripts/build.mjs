// Bundles every action with esbuild into dist/<name>/index.js, with the code two actions share (and
// what an action loads only on the path that needs it) in dist/chunks/, and writes what is generated
// from one source: schema/cutover.schema.json and the generated parts of README.md.
//
// Why esbuild and shared chunks (#15, measured on this 2-core machine): ncc 0.45 (webpack) took 4 to
// 9 minutes for the eight bundles and wrote 39 MB, each action carrying its own copy of everything
// (undici, yaml, Octokit, the environment validator) in a 1.4-2.3 MB index.js; esbuild builds the
// same sources in seconds, minified, and an action's start reads only its own entry and the chunks it
// imports. GitHub checks out the whole repository for `uses: owner/repo/actions/<name>@ref`, so an
// entry may import ../chunks/. `node scripts/build.mjs --bundles` builds the bundles only.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { builtins } from './builtins-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundlesOnly = process.argv.slice(2).length > 0;
const actions = readdirSync(join(root, 'actions')).filter((name) => existsSync(join(root, 'actions', name, 'src', 'main.ts')));

function run(argv) {
  return new Promise((done, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? done() : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

// Every output file is an ES module; CommonJS packages inside it call `require` (Node's built-ins)
// and read `__dirname` (libpg-query's loader looks for its .wasm there): both as Node would give a
// CommonJS file at the output's place. The names are prefixed so that no minified name meets them.
const banner = [
  // process.getBuiltinModule, not imports: an import of a built-in builds Node's ES module facade of it
  // (scripts/builtins-plugin.mjs says what that costs).
  "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);",
  "const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);",
  "const __dirname = process.getBuiltinModule('node:path').dirname(__filename);",
].join('\n');

/**
 * @actions/core imports @actions/http-client (and with it undici, 405 KiB) when it loads, for its
 * OIDC client only; only build-candidate's attestations ask for an OIDC token (@actions/attest calls
 * core.getIDToken). That import, from core's oidc-utils alone, gets a class that loads the real
 * client when a token is asked for: getIDToken still works (test/build-candidate.test.ts asks a
 * token service for one through the bundle), and no other run pays for it.
 */
const lazyOidcHttpClient = {
  name: 'lazy-oidc-http-client',
  setup(build) {
    // The virtual module's name is the same in every checkout: esbuild hashes chunks by their
    // modules' names, and an absolute path here gave each clone its own chunk names.
    build.onResolve({ filter: /^@actions\/http-client$/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/.test(args.importer)
        ? { path: 'oidc-http-client', namespace: 'lazy-oidc-http-client', pluginData: { resolveDir: dirname(args.importer) } }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-oidc-http-client' }, (args) => ({
      resolveDir: args.pluginData.resolveDir,
      contents: [
        'export class HttpClient {',
        '  constructor(...settings) { this.settings = settings; }',
        "  async getJson(...args) { const real = await import('@actions/http-client'); return new real.HttpClient(...this.settings).getJson(...args); }",
        '}',
      ].join('\n'),
    }));
  },
};

/**
 * Each action's dist/<name>/index.js turns on Node's compile cache, then imports the action: V8's
 * code for every module it loads is kept on disk, and the next start in the same job that loads the
 * same chunks (the post step, a later Cutover step) skips compiling them. Compiling is most of what a
 * start spends on our code (CPU profiles); on this 2-core machine blue-green-switch to its first
 * check took 128.8 ms without the cache and 115.2 ms with it, `node -e 0` 77.5 ms (medians of 11;
 * `npm run bench -- bundles` keeps the figures). The entry imports nothing else: the modules it
 * imports when it loads are compiled before any of its code runs, so the action is imported after
 * the call. The cache lives in the job's temporary directory (RUNNER_TEMP), which the runner
 * empties when a job starts: V8 runs what the cache holds, checked only by checksums anyone can
 * compute, so a directory kept between jobs (the tool cache, /tmp) would let one job put code into
 * a later deploy job. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switch).
 *
 * Writing the cache costs the start that writes it, as it exits: health-watch took 59 ms with an
 * empty cache and 53 ms with none (farm-bench, 31 pairs). So an action with a post step (which
 * reads it) makes the cache, and one without uses it only when an earlier step of the job made it:
 * a job of one test-gate step pays nothing, and a health-watch after a switch in the same job
 * still finds the switch's code compiled.
 */
const hasPostStep = (name) => Boolean(parseYaml(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')).runs?.post);
const compileCacheEntry = {
  name: 'compile-cache-entry',
  setup(build) {
    build.onResolve({ filter: /^cutover-entry:/ }, ({ path }) => ({ path: path.slice('cutover-entry:'.length), namespace: 'cutover-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'cutover-entry' }, ({ path: name }) => ({
      contents: [
        "const { enableCompileCache } = process.getBuiltinModule('node:module');",
        'const cache = process.env.RUNNER_TEMP && `${process.env.RUNNER_TEMP}/cutover-compile-cache`;',
        hasPostStep(name)
          ? 'if (cache) enableCompileCache(cache);'
          : "if (cache && process.getBuiltinModule('node:fs').existsSync(cache)) enableCompileCache(cache);",
        `await import('./actions/${name}/src/main.ts');`,
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

// @actions/core's summary and @actions/io take their functions from node:fs/promises when they load
// (`const { access, ... } = promises`), which loads that module, and with it fs's streams and
// readline (5 ms, measured as in builtins-plugin.mjs), in every action at start: core imports io
// through @actions/exec. Here each of those names reads the function when it is called.
const FS_PROMISES_TAKEN = /^(export )?const \{ ([\w, ]+) \} = ((?:fs\.)?promises);$/m;
const fsPromisesOnUse = {
  name: 'fs-promises-on-use',
  setup(build) {
    build.onLoad({ filter: /[\\/]@actions[\\/](core[\\/]lib[\\/]summary|io[\\/]lib[\\/]io-util)\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const taken = source.match(FS_PROMISES_TAKEN);
      if (!taken || source.split(taken[0]).length !== 2) throw new Error(`build: ${args.path} no longer takes its functions from fs.promises in one line`);
      const [, exported = '', names, from] = taken;
      const onUse = names.split(', ').map((name) => `${name} = (...args) => ${from}.${name}(...args)`);
      return { contents: source.replace(taken[0], `${exported}const ${onUse.join(', ')};`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// minipass-fetch (under @actions/attest's sigstore client) requires `encoding`, in a try, only for
// its textConverted(), which nothing here calls (no bundled package names it): `encoding` brought
// iconv-lite's code pages, 481 KiB of dist/. Left out, the require throws as when it is not
// installed, and minipass-fetch says what is missing if textConverted is ever called.
const noEncoding = {
  name: 'no-encoding',
  setup(build) {
    build.onResolve({ filter: /^encoding$/ }, (args) =>
      /[\\/]minipass-fetch[\\/]lib[\\/]body\.js$/.test(args.importer) ? { path: 'encoding', namespace: 'no-encoding' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-encoding' }, () => ({
      contents: "throw new Error('encoding: not in this bundle (minipass-fetch uses it only for textConverted)');",
      loader: 'js',
    }));
  },
};

// yaml's ES module build (the one it gives browsers: no Node API in it) instead of its CommonJS one
// for Node: esbuild hoists ES modules into one scope and leaves out what the loader never calls,
// where each CommonJS file stays a closure run at start.
const yamlModules = {
  name: 'yaml-modules',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, 'node_modules', 'yaml', 'browser', 'index.js') }));
  },
};

// libpg-query's WebAssembly (1.7 MB) is stored brotli-compressed beside its chunk (251 KB, 5 ms to
// inflate): its loader starts the emscripten module when it is imported, with no way to pass the
// bytes in, so the call is given emscripten's `instantiateWasm` here, which instantiates the inflated
// bytes (this build reads the file even when given `wasmBinary`). An instantiation that fails is an
// unhandled rejection, which ends the process with its error rather than leaving the parser
// waiting. From source (tests), libpg-query reads its own .wasm as before.
const libpgQueryWasm = {
  name: 'libpg-query-wasm',
  setup(build) {
    build.onLoad({ filter: /[\\/]libpg-query[\\/]wasm[\\/]index\.cjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = '(0, libpg_query_js_1.default)()';
      if (source.split(call).length !== 2) throw new Error(`build: libpg-query's wasm/index.cjs no longer calls ${call} once`);
      // __dirname: the chunk's directory (the banner's), where copyBeside puts the .br.
      const inflated =
        "require('node:zlib').brotliDecompressSync(require('node:fs').readFileSync(require('node:path').join(__dirname, 'libpg-query.wasm.br')))";
      const instantiate = `(imports, receive) => { WebAssembly.instantiate(${inflated}, imports).then((result) => receive(result.instance)); return {}; }`;
      return {
        contents: source.replace(call, `(0, libpg_query_js_1.default)({ instantiateWasm: ${instantiate} })`),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

// Files a bundled package reads beside itself at run time, copied beside the output file that holds
// the module reading them (found in esbuild's metafile, so they follow the code wherever esbuild
// puts it). PGlite is not bundled: it loads its own modules, so its dist/ is copied (source maps,
// CommonJS twins, types and the contrib extensions stay behind) and packages/migration/src/engine.ts
// imports ./pglite/index.js. Its WebAssembly and file system image (15 MB, three quarters of dist/)
// are stored brotli-compressed (`compress`): 3.7 MB, and engine.ts hands them to PGlite decompressed.
const copies = [
  { reader: 'node_modules/libpg-query/wasm/index.cjs', from: 'node_modules/libpg-query/wasm/libpg-query.wasm', to: 'libpg-query.wasm.br', brotli: true },
  {
    reader: 'packages/migration/src/engine.ts',
    from: 'node_modules/@electric-sql/pglite/dist',
    to: 'pglite',
    keep: /^(fs\/)?[^/]+\.(js|wasm|data)$/,
    compress: /^[^/]+\.(wasm|data)$/,
  },
  { reader: 'packages/migration/src/engine.ts', from: 'node_modules/@electric-sql/pglite/LICENSE', to: 'pglite/LICENSE' },
];

/**
 * `file` brotli-compressed at the highest quality, written to `to`. The highest quality takes about a
 * minute for PGlite's 15 MB on two cores, so the result is kept in node_modules/.cache by the
 * source's hash: a clean clone (CI) compresses once (the files in parallel), a rebuild copies.
 */
async function writeCompressed(file, to) {
  const bytes = readFileSync(file);
  // The key: the bytes, the quality and the brotli library that compressed them.
  const key = createHash('sha256').update(bytes).update(`\0${constants.BROTLI_MAX_QUALITY}\0${process.versions.brotli}`).digest('hex');
  const cache = join(root, 'node_modules', '.cache', 'cutover-build', `${key}.br`);
  if (!existsSync(cache)) {
    mkdirSync(dirname(cache), { recursive: true });
    const compressed = await promisify(brotliCompress)(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    writeFileSync(`${cache}.tmp`, compressed);
    renameSync(`${cache}.tmp`, cache);
  }
  copyFileSync(cache, to);
}

async function copyBeside(outputs, { reader, from, to, keep, compress, brotli }) {
  const output = Object.keys(outputs).find((file) => outputs[file].inputs[reader]);
  if (!output) throw new Error(`build: no output holds ${reader}, which reads ${from}`);
  const source = join(root, from);
  const target = join(root, dirname(output), to);
  // One file stored compressed (`brotli`), or a file or directory copied (`compress`: which of its files are stored compressed).
  if (brotli) {
    await writeCompressed(source, target);
    return output;
  }
  const kept = (path) => !keep || path === source || (statSync(path).isDirectory() ? relative(source, path) === 'fs' : keep.test(relative(source, path)));
  const compressed = (path) => compress?.test(relative(source, path));
  cpSync(source, target, { recursive: true, filter: (path) => kept(path) && !compressed(path) });
  const names = compress ? readdirSync(source).filter((name) => compress.test(name)) : [];
  await Promise.all(names.map((name) => writeCompressed(join(source, name), join(target, `${name}.br`))));
  return output;
}

// The environment file's validator, compiled from the kinds before the bundles import it.
await run([process.execPath, '--import', 'tsx', 'scripts/write-validator.ts']);

rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(actions.map((name) => [`${name}/index`, `cutover-entry:${name}`])),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  // The licence texts are in each action's licenses.txt (scripts/licenses.ts), whole.
  legalComments: 'none',
  banner: { js: banner },
  external: ['@electric-sql/pglite'],
  plugins: [compileCacheEntry, builtins, lazyOidcHttpClient, fsPromisesOnUse, noEncoding, yamlModules, libpgQueryWasm],
  metafile: true,
  logLevel: 'warning',
});
const outputs = result.metafile.outputs;
// For reading what each chunk is made of (esbuild's analyzer or bench work): CUTOVER_METAFILE=<path>.
if (process.env.CUTOVER_METAFILE) writeFileSync(process.env.CUTOVER_METAFILE, JSON.stringify(result.metafile));
// ES modules wherever the repository is checked out, whatever package.json sits above dist/.
writeFileSync(join(root, 'dist', 'package.json'), '{ "type": "module" }\n');
const copied = await Promise.all(copies.map(async (copy) => ({ ...copy, output: await copyBeside(outputs, copy) })));

// Each action's files: its entry and every chunk it imports, at once (`atStart`) or also those a
// path loads when it needs them.
function filesOf(entry, atStart = false) {
  const files = new Set();
  const visit = (file) => {
    if (files.has(file) || !outputs[file]) return;
    files.add(file);
    // The entry imports its action when it has turned the compile cache on (compileCacheEntry).
    for (const imported of outputs[file].imports) if (!atStart || imported.kind === 'import-statement' || file === entry) visit(imported.path);
  };
  visit(entry);
  return [...files];
}
for (const name of actions) {
  const entry = `dist/${name}/index.js`;
  const files = filesOf(entry);
  const inputs = files.flatMap((file) =>
    Object.entries(outputs[file].inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 && !/^[a-z-]+:/.test(input) ? [join(root, input)] : [])),
  );
  const beside = copied.filter(({ output }) => files.includes(output));
  // What the action is made of, read by scripts/licenses.ts and bench/bundles.ts.
  const manifest = {
    files: files.map((file) => relative(`dist/${name}`, file)).sort(),
    atStart: filesOf(entry, true)
      .map((file) => relative(`dist/${name}`, file))
      .sort(),
    inputs: [...new Set(inputs)].map((input) => relative(root, input)).sort(),
    // Where the copies are (relative to dist/<name>/), and where they came from (for the licences).
    beside: [...new Set(beside.map(({ output, to }) => relative(`dist/${name}`, join(dirname(output), to.split('/')[0]))))].sort(),
    copied: [...new Set(beside.map(({ from }) => from))].sort(),
  };
  writeFileSync(join(root, 'dist', name, 'bundled.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run([process.execPath, '--import', 'tsx', 'scripts/licenses.ts', join('dist', name)]);
  console.log(`built dist/${name}/index.js`);
}

if (!bundlesOnly) {
  await run([process.execPath, '--import', 'tsx', 'scripts/write-schema.ts']);
  await run([process.execPath, '--import', 'tsx', 'scripts/readme.ts']);
}

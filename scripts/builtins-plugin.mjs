// The esbuild plugin through which the bundles reach Node's built-ins (scripts/build.mjs uses it;
// builtins-plugin.test.ts builds with it and runs what it gives).
import { isBuiltin } from 'node:module';

/**
 * Two kinds of Node built-in cost an action at start, before any traffic moves. Measured on this
 * 2-core machine, Node 24, median of 11 processes, from an import's start to its end:
 * - Facades. `import … from 'fs'` takes 9.4 ms, process.getBuiltinModule('node:fs') 1.2 ms: Node's
 *   ES module facade reads every export, and fs's getters load its streams, node:fs/promises and
 *   readline. Every action paid it, through @actions/core and our own imports. node:util's facade
 *   reads parseArgs, diff and setTraceSigInt, which load worker_threads and ten more modules.
 * - Modules that only some paths use: node:net takes 6 ms, node:fs/promises 5 ms. A chunk imports
 *   them for those paths (HAProxy's socket, reading a file), and they loaded when the chunk started.
 * So an ES module import of a built-in that is an object gets a generated module that takes from
 * it only the names the code imports, its getters read on use. Each module in LAZY_BUILTINS
 * becomes an object of getters, with the names of the Node that builds (Node 24, as the runner's):
 * reading one loads the module, writing one writes through. The built-ins that are a function
 * (node:events, node:stream, node:module) and node:process stay imports.
 * A first version made every built-in such an object: esbuild then copied each one's properties
 * for every module importing it (__toESM), which cost what the facades had saved (CPU profiles).
 * Both are free of side effects, as the imports were: esbuild leaves out those nothing reads.
 * test/actions-start.test.ts asks Node what each action has loaded by its first check.
 */
const LAZY_BUILTINS = new Set([
  'child_process',
  'crypto',
  'dns',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'readline',
  'stream/promises',
  'tls',
  'worker_threads',
  'zlib',
]);
export const builtins = {
  name: 'builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, ({ path, kind }) => {
      if (!isBuiltin(path)) return undefined;
      const name = path.replace(/^node:/, '');
      if (LAZY_BUILTINS.has(name)) return { path: `node:${name}`, namespace: 'builtin-on-use', sideEffects: false };
      const module = process.getBuiltinModule(`node:${name}`);
      if (kind === 'import-statement' && ((typeof module === 'object' && name !== 'process') || name === 'assert'))
        return { path: `node:${name}`, namespace: 'builtin-esm', sideEffects: false };
      return { path, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-on-use' }, ({ path }) => {
      // Every own name, the non-enumerable ones too (node:zlib's legacy constants), as enumerable as in Node.
      const module = process.getBuiltinModule(path);
      const names = Object.getOwnPropertyNames(module).filter((name) => name !== '__proto__');
      const hidden = names.filter((name) => !Object.getOwnPropertyDescriptor(module, name).enumerable);
      return {
        contents: [
          `const load = () => process.getBuiltinModule(${JSON.stringify(path)});`,
          `const hidden = new Set(${JSON.stringify(hidden)});`,
          `for (const name of ${JSON.stringify(names)})`,
          '  Object.defineProperty(exports, name, { enumerable: !hidden.has(name), get: () => load()[name], set: (value) => { load()[name] = value; } });',
        ].join('\n'),
        loader: 'js',
      };
    });
    // What stands for one of a built-in's functions or classes (called, constructed, extended) or
    // objects, read when first used.
    build.onResolve({ filter: /^on-use$/, namespace: 'builtin-esm' }, () => ({ path: 'on-use', namespace: 'builtin-esm', sideEffects: false }));
    const onUse = [
      'export const onUse = (real) => new Proxy(function () {}, { apply: (_, self, args) => Reflect.apply(real(), self, args), construct: (_, args, target) => Reflect.construct(real(), args, target), get: (_, key) => Reflect.get(real(), key), set: (_, key, value) => Reflect.set(real(), key, value) });',
      'const described = (descriptor) => descriptor && { ...descriptor, configurable: true };',
      'export const onUseObject = (real) => new Proxy({}, { get: (_, key) => Reflect.get(real(), key), set: (_, key, value) => Reflect.set(real(), key, value), has: (_, key) => Reflect.has(real(), key), ownKeys: () => Reflect.ownKeys(real()), getOwnPropertyDescriptor: (_, key) => described(Reflect.getOwnPropertyDescriptor(real(), key)) });',
    ].join('\n');
    build.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, ({ path }) => {
      if (path === 'on-use') return { contents: onUse, loader: 'js' };
      const module = process.getBuiltinModule(path);
      const names = Object.keys(module);
      const load = `process.getBuiltinModule(${JSON.stringify(path)})`;
      if (path === 'node:assert') {
        // node:assert (5 ms): @actions/io imports `ok`, at start, for calls made later.
        return {
          contents: [
            "import { onUse } from 'on-use';",
            `export default /* @__PURE__ */ onUse(() => ${load});`,
            ...names.map((name) => `export const ${name} = /* @__PURE__ */ onUse(() => ${load}.${name});`),
          ].join('\n'),
          loader: 'js',
        };
      }
      // Any other: each of its own values taken from it when the importing module starts, and only
      // those the code imports (esbuild leaves out the pure ones nothing reads): reading some loads
      // more (node:util's parseArgs, diff and setTraceSigInt load 11 modules, worker_threads among
      // them). Its getters (node:fs's promises and stream classes, ...) are read on use.
      // Differences left: `fs.ReadStream` is a stand-in (instanceof and extends work, identity with
      // Node's class does not), and assert's message for a failed call without one names the stand-in.
      const getters = names.filter((name) => Object.getOwnPropertyDescriptor(module, name).get);
      return {
        contents: [
          "import { onUse, onUseObject } from 'on-use';",
          `const builtin = ${load};`,
          'const take = (name) => builtin[name];',
          'export default builtin;',
          ...names.map((name) => {
            // A getter's value as the build's Node gives it: a function or an object is stood for; a
            // number (node:buffer's INSPECT_MAX_BYTES) is read, as any value.
            const kind = getters.includes(name) ? typeof module[name] : 'value';
            if (kind === 'function') return `export const ${name} = /* @__PURE__ */ onUse(() => builtin.${name});`;
            if (kind === 'object') return `export const ${name} = /* @__PURE__ */ onUseObject(() => builtin.${name});`;
            return `export const ${name} = /* @__PURE__ */ take(${JSON.stringify(name)});`;
          }),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

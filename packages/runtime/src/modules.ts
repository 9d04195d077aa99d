/**
 * A CommonJS package's exports, from `await import()`. Node lists them in the module namespace
 * (and as `default`); esbuild's chunk of a CommonJS package lazily imported from the bundle exports
 * `default` only (what dist/ runs: libpg-query and undici were namespaces without their functions).
 * `probe` is one export the caller uses, to tell the two apart.
 */
export function commonJsExports<T extends object>(loaded: T, probe: keyof T): T {
  if (loaded[probe] !== undefined) return loaded;
  const inner = (loaded as { default?: T }).default;
  if (inner && inner[probe] !== undefined) return inner;
  throw new Error(`a lazily loaded module has no export ${String(probe)}`);
}

// Node built-ins that only some paths use, loaded synchronously when first asked for. An `import`
// of node:child_process and node:crypto at the top of a bundle loads both when the action starts:
// 16 ms of every action's start (Node 24, 2 cores, farm-bench of their imports, paired), spent
// before any traffic moved, whether or not the run spawns a program or hashes a file.
/** node:child_process, loaded when first used. */
export const childProcess = () => process.getBuiltinModule('node:child_process');
/** node:crypto, loaded when first used. */
export const nodeCrypto = () => process.getBuiltinModule('node:crypto');

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

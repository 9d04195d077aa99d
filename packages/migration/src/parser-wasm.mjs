// Where libpg-query's WebAssembly parser lives. This is JavaScript on purpose: ncc's asset
// relocator copies a file named by `new URL(<literal>, import.meta.url)` in a .mjs file into
// dist/<action>/ under its own name (libpg-query.wasm, where the parser's loader looks for it) and
// turns the expression into that path. The same line in TypeScript went through webpack's asset
// modules instead, which renamed the file and wrote it as UTF-8 text (a corrupt module).
export const libpgQueryWasm = new URL('../../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url);

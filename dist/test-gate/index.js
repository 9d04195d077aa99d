const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var{enableCompileCache:o}=process.getBuiltinModule("node:module"),e=process.env.RUNNER_TOOL_CACHE||process.env.RUNNER_TEMP;e&&o(`${e}/cutover-compile-cache`);await import("../chunks/main-Z4DY6XPO.js");

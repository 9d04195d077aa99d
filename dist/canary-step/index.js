const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var{enableCompileCache:e}=process.getBuiltinModule("node:module");process.env.RUNNER_TEMP&&e(`${process.env.RUNNER_TEMP}/cutover-compile-cache`);await import("../chunks/main-SZS7UYCP.js");

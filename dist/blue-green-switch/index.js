const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var{enableCompileCache:c}=process.getBuiltinModule("node:module"),e=process.env.RUNNER_TEMP&&`${process.env.RUNNER_TEMP}/cutover-compile-cache`;e&&c(e);await import("../chunks/main-MXAAWXW3.js");

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var{enableCompileCache:o}=process.getBuiltinModule("node:module"),e=process.env.RUNNER_TEMP&&`${process.env.RUNNER_TEMP}/cutover-compile-cache`;e&&process.getBuiltinModule("node:fs").existsSync(e)&&o(e);await import("../chunks/main-JSORBY6H.js");

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var t=process.getBuiltinModule("node:url"),e=o=>t[o];var r=e("fileURLToPath");export{r as a};

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var e=process.getBuiltinModule("node:util"),t=o=>e[o],r=e;var s=t("inspect");var n=t("promisify");var c=t("types");var p=t("TextDecoder");export{r as a,s as b,n as c,c as d,p as e};

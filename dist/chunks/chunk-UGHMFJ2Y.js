const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
var o=process.getBuiltinModule("node:url");var{Url:e,parse:t,resolve:r,resolveObject:a,format:i,URL:l,URLPattern:n,URLSearchParams:s,domainToASCII:U,domainToUnicode:p,pathToFileURL:f,fileURLToPath:u,fileURLToPathBuffer:c,urlToHttpOptions:d}=o;export{u as a};

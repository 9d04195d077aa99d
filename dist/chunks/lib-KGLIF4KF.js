const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h}from"./chunk-NUH6PNPM.js";import"./chunk-BCD423HG.js";import"./chunk-G66AXGSP.js";import"./chunk-EHBTHHVM.js";import"./chunk-LEUZM5FD.js";import"./chunk-FEJ7TEQL.js";import"./chunk-NNTMVUWG.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};

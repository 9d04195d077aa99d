const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h}from"./chunk-PLMTX5KB.js";import"./chunk-GOAVLW3K.js";import"./chunk-GWKISUXB.js";import"./chunk-IJOYIA75.js";import"./chunk-OTLLUKOQ.js";import"./chunk-FV2LEGPP.js";import"./chunk-FOOLQOIC.js";import"./chunk-NET3G34U.js";import"./chunk-NNTMVUWG.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};

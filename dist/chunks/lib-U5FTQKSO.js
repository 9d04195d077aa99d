import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a,b,c,d,e,f,g,h}from"./chunk-X4YI4LMZ.js";import"./chunk-ZRVJZ4XR.js";import"./chunk-DACTE5XV.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};

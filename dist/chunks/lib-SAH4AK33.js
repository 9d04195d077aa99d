import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
import { dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __cutoverDirname(__filename);
import{a,b,c,d,e,f,g,h}from"./chunk-5U6CF525.js";import"./chunk-LTERH5ES.js";import"./chunk-WWLNMMLM.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};

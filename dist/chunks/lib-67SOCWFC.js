const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h}from"./chunk-Y5YZD6IJ.js";import"./chunk-U3SMWYWY.js";import"./chunk-XN6JBU77.js";import"./chunk-SQI4I2SR.js";import"./chunk-XV3Y4KK5.js";import"./chunk-4OGULIOR.js";import"./chunk-NNTMVUWG.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};

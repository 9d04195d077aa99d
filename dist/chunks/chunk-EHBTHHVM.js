const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{c as l}from"./chunk-NNTMVUWG.js";var a=l(o=>{var t=()=>process.getBuiltinModule("node:net"),n=new Set([]);for(let e of["_createServerHandle","_normalizeArgs","BlockList","SocketAddress","BoundSocket","connect","createConnection","createServer","isIP","isIPv4","isIPv6","Server","Socket","Stream","getDefaultAutoSelectFamily","setDefaultAutoSelectFamily","getDefaultAutoSelectFamilyAttemptTimeout","setDefaultAutoSelectFamilyAttemptTimeout"])Object.defineProperty(o,e,{enumerable:!n.has(e),get:()=>t()[e],set:c=>{t()[e]=c}})});export{a};

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{c as o}from"./chunk-NNTMVUWG.js";var i=o((u,t)=>{t.exports=process.getBuiltinModule("node:events")});var c=o((g,r)=>{r.exports=process.getBuiltinModule("node:assert")});var l=o(n=>{var s=()=>process.getBuiltinModule("node:string_decoder");for(let e of["StringDecoder"])Object.defineProperty(n,e,{enumerable:!0,get:()=>s()[e],set:d=>{s()[e]=d}})});export{i as a,c as b,l as c};

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{a as i,e as n}from"./chunk-OPA4X2VM.js";import"./chunk-CULTZ22H.js";import"./chunk-CGPE6J66.js";import"./chunk-5PP73N2O.js";import"./chunk-HLKSDGNO.js";import"./chunk-LEUZM5FD.js";import{J as r,L as a}from"./chunk-EADJUYEV.js";import"./chunk-MBKFOJ7K.js";import"./chunk-FEJ7TEQL.js";import"./chunk-NNTMVUWG.js";await a(()=>n(i(r)));

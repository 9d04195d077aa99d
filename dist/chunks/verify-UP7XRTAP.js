const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{i as a,j as b,k as c,l as d}from"./chunk-75TMNZ6S.js";import"./chunk-Y2QFRYS4.js";import"./chunk-EBOO642M.js";import"./chunk-CGPE6J66.js";import"./chunk-HLKSDGNO.js";import"./chunk-LEUZM5FD.js";import"./chunk-SNAXWIIP.js";import"./chunk-FEJ7TEQL.js";import"./chunk-NNTMVUWG.js";export{b as checkArchive,d as extractCandidate,a as parseManifest,c as verifyCandidate};

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{i as a,j as b,k as c,l as d}from"./chunk-7CZTBXG7.js";import"./chunk-EG7A4EXJ.js";import"./chunk-MBXSOYHQ.js";import"./chunk-CGPE6J66.js";import"./chunk-LEUZM5FD.js";import"./chunk-2N5DH2WQ.js";import"./chunk-FEJ7TEQL.js";import"./chunk-NNTMVUWG.js";export{b as checkArchive,d as extractCandidate,a as parseManifest,c as verifyCandidate};

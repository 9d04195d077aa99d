const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{a,b,c,d,e}from"./chunk-UJPPBCH5.js";import"./chunk-FZ37UJRQ.js";import"./chunk-CGPE6J66.js";import"./chunk-5PP73N2O.js";import"./chunk-HLKSDGNO.js";import"./chunk-XV3Y4KK5.js";import"./chunk-JT7LGQ6T.js";import"./chunk-A3WD7CFJ.js";import"./chunk-4OGULIOR.js";import"./chunk-NNTMVUWG.js";export{d as extractCandidate,a as parseCandidateInputs,b as parseManifest,e as run,c as verifyCandidate};

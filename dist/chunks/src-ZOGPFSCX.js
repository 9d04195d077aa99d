const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{a,b,c,d,e}from"./chunk-HII6ZAPV.js";import"./chunk-BD7FQ67S.js";import"./chunk-5PP73N2O.js";import"./chunk-IJOYIA75.js";import"./chunk-5MUABRHZ.js";import"./chunk-FV2LEGPP.js";import"./chunk-RRZDZSXK.js";import"./chunk-NYAMHKLY.js";import"./chunk-FOOLQOIC.js";import"./chunk-OZN6Z4SM.js";import"./chunk-NET3G34U.js";import"./chunk-NNTMVUWG.js";export{d as extractCandidate,a as parseCandidateInputs,b as parseManifest,e as run,c as verifyCandidate};

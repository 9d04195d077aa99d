import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
import { dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __cutoverDirname(__filename);
import{a,b,c,d,e}from"./chunk-EETR5TEQ.js";import"./chunk-MKEFGJCZ.js";import"./chunk-7Z77CXRU.js";import"./chunk-PGLQZUJL.js";import"./chunk-DYA44CIO.js";import"./chunk-5B6LXNXE.js";import"./chunk-WWLNMMLM.js";export{d as extractCandidate,a as parseCandidateInputs,b as parseManifest,e as run,c as verifyCandidate};

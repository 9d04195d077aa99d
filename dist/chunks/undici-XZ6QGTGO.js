import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
import { dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __cutoverDirname(__filename);
import{a}from"./chunk-LTERH5ES.js";import"./chunk-WWLNMMLM.js";export default a();

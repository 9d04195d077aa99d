const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{c as a}from"./chunk-BCD423HG.js";import"./chunk-G66AXGSP.js";import"./chunk-EHBTHHVM.js";import"./chunk-LEUZM5FD.js";import"./chunk-FEJ7TEQL.js";import"./chunk-NNTMVUWG.js";export default a();

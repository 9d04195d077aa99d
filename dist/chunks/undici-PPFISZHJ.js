const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{d as a}from"./chunk-GOAVLW3K.js";import"./chunk-GWKISUXB.js";import"./chunk-IJOYIA75.js";import"./chunk-OTLLUKOQ.js";import"./chunk-FV2LEGPP.js";import"./chunk-FOOLQOIC.js";import"./chunk-NET3G34U.js";import"./chunk-NNTMVUWG.js";export default a();

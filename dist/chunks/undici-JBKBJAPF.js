const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{c as a}from"./chunk-U3SMWYWY.js";import"./chunk-XN6JBU77.js";import"./chunk-SQI4I2SR.js";import"./chunk-XV3Y4KK5.js";import"./chunk-4OGULIOR.js";import"./chunk-NNTMVUWG.js";export default a();

const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{a as i,e as n}from"../chunks/chunk-I5WVAS7A.js";import"../chunks/chunk-CGPE6J66.js";import"../chunks/chunk-5PP73N2O.js";import"../chunks/chunk-XV3Y4KK5.js";import"../chunks/chunk-J5L43R2O.js";import"../chunks/chunk-UVA2B7IQ.js";import{J as r,L as a}from"../chunks/chunk-QJGMERP6.js";import"../chunks/chunk-5WYLEMCR.js";import"../chunks/chunk-4OGULIOR.js";import"../chunks/chunk-NNTMVUWG.js";await a(()=>n(i(r)));

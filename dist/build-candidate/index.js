const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{a as i,e as n}from"../chunks/chunk-HII6ZAPV.js";import"../chunks/chunk-BD7FQ67S.js";import"../chunks/chunk-5PP73N2O.js";import"../chunks/chunk-IJOYIA75.js";import"../chunks/chunk-5MUABRHZ.js";import"../chunks/chunk-FV2LEGPP.js";import{J as r,L as a}from"../chunks/chunk-RRZDZSXK.js";import"../chunks/chunk-NYAMHKLY.js";import"../chunks/chunk-FOOLQOIC.js";import"../chunks/chunk-OZN6Z4SM.js";import"../chunks/chunk-NET3G34U.js";import"../chunks/chunk-NNTMVUWG.js";await a(()=>n(i(r)));

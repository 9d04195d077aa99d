import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as r,d as n}from"../chunks/chunk-PTAT5ITV.js";import"../chunks/chunk-EEP23VHC.js";import"../chunks/chunk-BCRM6TB6.js";import"../chunks/chunk-ZP5V4EVX.js";import{E as a,G as i}from"../chunks/chunk-CT72JP3W.js";import"../chunks/chunk-4GEFIPH6.js";import"../chunks/chunk-CJ26YL2R.js";import"../chunks/chunk-DACTE5XV.js";await i(()=>n(r(a)));

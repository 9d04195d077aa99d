import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as r,d as n}from"../chunks/chunk-4HTSH3SG.js";import"../chunks/chunk-EEP23VHC.js";import"../chunks/chunk-BCRM6TB6.js";import"../chunks/chunk-KHYRMNEW.js";import{E as a,G as i}from"../chunks/chunk-VXPPWSUI.js";import"../chunks/chunk-4EBCGEKC.js";import"../chunks/chunk-DACTE5XV.js";await i(()=>n(r(a)));

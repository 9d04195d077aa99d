import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
import { dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __cutoverDirname(__filename);
import{a as r,d as n}from"../chunks/chunk-RICXKOW6.js";import"../chunks/chunk-MKEFGJCZ.js";import"../chunks/chunk-7Z77CXRU.js";import"../chunks/chunk-A4OMMQL7.js";import{E as a,G as i}from"../chunks/chunk-FJONERPR.js";import"../chunks/chunk-DHWWNTLA.js";import"../chunks/chunk-WWLNMMLM.js";await i(()=>n(r(a)));

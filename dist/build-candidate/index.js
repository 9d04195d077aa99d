import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
import { dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __cutoverDirname(__filename);
import{a as i,e as n}from"../chunks/chunk-EETR5TEQ.js";import"../chunks/chunk-MKEFGJCZ.js";import"../chunks/chunk-7Z77CXRU.js";import"../chunks/chunk-PGLQZUJL.js";import{J as r,L as a}from"../chunks/chunk-DYA44CIO.js";import"../chunks/chunk-5B6LXNXE.js";import"../chunks/chunk-WWLNMMLM.js";await a(()=>n(i(r)));

// Types of builtins-plugin.mjs, for the test that builds with it.
import type { Plugin } from 'esbuild';

export declare const builtins: Plugin;

/** Every check kind: one line each. A new check is a file beside these and a line here. */
import { command } from './command.js';
import { http } from './http.js';
import type { CheckProvider } from './kind.js';
import { prometheus } from './prometheus.js';
import { traffic } from './traffic.js';

export const CHECK_KINDS: readonly CheckProvider[] = [http, traffic, prometheus, command];

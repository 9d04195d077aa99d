/** Every router kind: one line each. A new router is a directory beside these and a line here. */
import { command } from './command/command.js';
import { haproxy } from './haproxy/haproxy.js';
import type { RouterProvider } from './kind.js';
import { nginx } from './nginx/nginx.js';
import { symlink } from './symlink/symlink.js';

export const ROUTER_KINDS: readonly RouterProvider[] = [nginx, haproxy, symlink, command];

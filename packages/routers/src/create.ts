/** The one factory: a router for an environment, by its router.kind. */
import type { NamedEnvironment } from '@cutover/config';
import { commandRouter } from './command.js';
import { haproxyRouter, type HaproxyRouterOptions } from './haproxy.js';
import { nginxRouter } from './nginx.js';
import { checkedRouter, unknownRouterKind, type Router } from './router.js';
import { symlinkRouter } from './symlink.js';

export interface CreateRouterOptions {
  /** Progress lines (the symlink router logs each host as it moves). */
  log?: (line: string) => void;
  haproxy?: HaproxyRouterOptions;
}

/** The environment's router, its reads checked (checkedRouter). */
export function createRouter(environment: NamedEnvironment, options: CreateRouterOptions = {}): Router {
  return checkedRouter(uncheckedRouter(environment, options));
}

function uncheckedRouter(environment: NamedEnvironment, options: CreateRouterOptions): Router {
  const config = environment.router;
  switch (config.kind) {
    case 'nginx':
      return nginxRouter(environment, config);
    case 'haproxy':
      return haproxyRouter(environment, config, options.haproxy);
    case 'symlink':
      return symlinkRouter(environment, config, { log: options.log });
    case 'command':
      return commandRouter(environment, config);
    default:
      throw unknownRouterKind(environment);
  }
}

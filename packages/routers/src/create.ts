/** The one factory: a router for an environment, by its router.kind (registry.ts). */
import type { NamedEnvironment } from '@cutover/config';
import type { CreateRouterOptions } from './kind.js';
import { ROUTER_KINDS } from './registry.js';
import { dryRunRouter } from './dry-run.js';
import { checkedRouter, type Router } from './router.js';

/** The environment's router, its reads checked (checkedRouter); with `dryRun`, one that only plans (dry-run.ts). */
export function createRouter(environment: NamedEnvironment, options: CreateRouterOptions = {}): Router {
  const kind = environment.router.kind;
  const provider = ROUTER_KINDS.find((candidate) => candidate.kind === kind);
  if (!provider) {
    const known = ROUTER_KINDS.map((candidate) => candidate.kind).join(', ');
    throw new Error(`environments.${environment.name}.router.kind: unknown router "${String(kind)}" (expected one of ${known})`);
  }
  const router = checkedRouter(provider.create(environment, environment.router, options));
  return options.dryRun ? dryRunRouter(router) : router;
}

/** The one factory: a router for an environment, by its router.kind (registry.ts). */
import { routerInstances, type NamedEnvironment } from '@cutover/config';
import { fleetRouter } from './fleet/fleet.js';
import type { CreateRouterOptions } from './kind.js';
import { ROUTER_KINDS } from './registry.js';
import { dryRunRouter } from './dry-run.js';
import { checkedRouter, type Router } from './router.js';

/**
 * The environment's router, its reads checked (checkedRouter); a router with instances is a fleet of
 * them; with `dryRun`, one that only plans (dry-run.ts).
 */
export function createRouter(environment: NamedEnvironment, options: CreateRouterOptions = {}): Router {
  const kind = environment.router.kind;
  const provider = ROUTER_KINDS.find((candidate) => candidate.kind === kind);
  if (!provider) {
    const known = ROUTER_KINDS.map((candidate) => candidate.kind).join(', ');
    throw new Error(`environments.${environment.name}.router.kind: unknown router "${String(kind)}" (expected one of ${known})`);
  }
  const router = fleetOrSingle(environment, provider, options);
  return options.dryRun ? dryRunRouter(router) : router;
}

function fleetOrSingle(environment: NamedEnvironment, provider: (typeof ROUTER_KINDS)[number], options: CreateRouterOptions): Router {
  const instances = routerInstances(environment.router);
  if (!instances) return checkedRouter(provider.create(environment, environment.router, options));
  // One router per instance, each from its complete config; the fleet drives them as one.
  return checkedRouter(
    fleetRouter(
      instances.map(({ name, config }) => ({
        name,
        router: checkedRouter(
          provider.create(environment, config, { ...options, ...(options.log ? { log: (line: string) => options.log!(`${name}: ${line}`) } : {}) }),
        ),
      })),
    ),
  );
}

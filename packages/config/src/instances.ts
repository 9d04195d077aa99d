/**
 * Router instances: one router's fields shared by several machines (an HA pair of load balancers,
 * one per zone), each instance overriding what differs per machine. Pure: the loader checks and
 * normalizes each instance's merged config, the routers package builds one router per instance.
 */
import type { RouterConfig, RouterInstance } from './types.js';

/**
 * The complete config of one instance: the router's fields, then the instance's over them. `ssh`
 * merges field by field (a user, port and key shared once in the router, a host per instance), as
 * symlink hosts do.
 */
export function mergeInstance(router: RouterConfig, instance: RouterInstance): RouterConfig {
  const { instances: _instances, ...shared } = router;
  const { name: _name, ...own } = instance;
  const merged: RouterConfig = { ...shared, ...own, kind: router.kind };
  if (shared.ssh || own.ssh) merged.ssh = { ...shared.ssh, ...own.ssh } as RouterConfig['ssh'];
  return merged;
}

/** The name an instance goes by in messages: its `name`, else its place in the list. */
export function instanceName(instance: RouterInstance, index: number): string {
  return instance.name ?? `instances[${index}]`;
}

/** One complete config per instance, with its name; a router without instances is its own one. */
export function routerInstances(router: RouterConfig): { name: string; config: RouterConfig }[] | undefined {
  if (!router.instances || router.instances.length === 0) return undefined;
  return router.instances.map((instance, index) => ({ name: instanceName(instance, index), config: mergeInstance(router, instance) }));
}

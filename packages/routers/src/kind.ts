/**
 * A router kind: the router's own fields of the environment file (a schema fragment, from which
 * the kind's config type is derived), what the schema cannot say, and the factory. Each kind lives
 * in its own directory (nginx/, haproxy/, symlink/, command/) and is listed once in registry.ts.
 */
import type { KindSchema, NamedEnvironment, SshTarget } from '@cutover/config';
import type { Router } from './router.js';

export interface CreateRouterOptions {
  /** Progress lines (the symlink router logs each host as it moves). */
  log?: (line: string) => void;
  /** Plan, change nothing: the router reads for real and records what it would apply (dry-run.ts). */
  dryRun?: boolean;
}

/** A router's config: the fields every router has (kind, ssh) and its kind's own. */
export type RouterConfigOf<Kind extends string, Fields> = Fields & { kind: Kind; ssh?: SshTarget };

export interface RouterProvider<Config = unknown> extends KindSchema<Config> {
  create(environment: NamedEnvironment, config: Config, options: CreateRouterOptions): Router;
}

/**
 * An alert kind: its fields in the environment file (a schema fragment, from which the kind's config
 * type is derived), the secrets it reads (kept from child processes), and the factory. One file per
 * kind in this directory, listed once in registry.ts.
 */
import type { KindSchema } from '@cutover/config';
import type { Alert } from './alert.js';

export interface AlertProvider<Config = unknown> extends KindSchema<Config> {
  /** The alert, its secrets read from `env` now: a missing one is an error naming `path` before anything changes. */
  create(config: Config, path: string, env: NodeJS.ProcessEnv): Alert;
}

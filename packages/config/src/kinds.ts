/**
 * The parts of the environment file that come in kinds — routers, health checks, alerts — are
 * described by the packages that implement them: a kind is one file with its schema fragment, its
 * types (derived from the fragment), what the schema cannot say, and its factory, plus one line in
 * its package's registry. @cutover/environment assembles the file's schema from the kinds it is
 * given (its schema.ts), loads files against them (its file.ts) and gathers every kind.
 */

import type { SchemaValidator } from './validator.js';

/** Reports a problem at a path relative to the kind's own object, e.g. ['hosts', 2]. */
export type Problem = (segments: (string | number)[], message: string) => void;

/**
 * The JSON Schema of a kind's own fields: an object schema written `as const`, so that the kind's
 * file derives its config type from it (json-schema-to-ts's FromSchema) and the two cannot drift.
 */
export interface KindFieldsSchema {
  readonly properties: object;
  readonly required?: readonly string[];
}

/**
 * Method syntax on purpose: a kind typed for its own config (KindSchema<NginxConfig>) is listed
 * among KindSchema<unknown> in a registry.
 */
export interface KindSchema<Config = unknown> {
  /** The router's `kind`, or the check's or alert's key: `nginx`, `http`, `slack`. */
  readonly kind: string;
  readonly description?: string;
  /** The kind's own fields: JSON Schema properties, and the required ones. */
  readonly schema: KindFieldsSchema;
  /** What the schema cannot say about a config of this kind (a URL that is one, a range not empty). */
  check?(config: Config, problem: Problem): void;
  /** Rewrites a checked config into the form its factory expects (hosts written as words). */
  normalize?(config: Config): void;
  /** The environment variables a config of this kind names: secrets, kept from child processes. */
  variables?(config: Config): string[];
  /** Routers: why this kind takes no `instances` (refused at load with the reason), when it cannot. */
  readonly noInstances?: string;
}

export interface EnvironmentKinds {
  routers: readonly KindSchema[];
  checks: readonly KindSchema[];
  alerts: readonly KindSchema[];
  /** The file's schema (environmentFileSchema of these kinds) compiled: see validator.ts. */
  validate?: SchemaValidator;
}

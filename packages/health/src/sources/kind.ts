/**
 * A check kind: its fields in the environment file (a schema fragment, from which the kind's config
 * type is derived), what the schema cannot say, and the factory. One file per kind in this
 * directory, listed once in registry.ts.
 */
import type { CheckConfig, KindSchema, TrafficReader } from '@cutover/config';
import type { Check } from '../check.js';

/** What some sources need from outside the health package: the router's traffic counters. */
export interface CheckEdges {
  /** A fresh reader of the router's per-server counters, when the router has them. */
  traffic?: () => TrafficReader;
  /** For messages: the router's kind. */
  routerKind?: string;
}

export interface CheckProvider<Config = unknown> extends KindSchema<Config> {
  /** The check from its entry (its name, and this kind's fields under the kind's key), as validated. */
  create(check: CheckConfig, path: string, edges: CheckEdges): Check;
}

/** A check's entry as its source reads it: the name, and the kind's fields under the kind's key. */
export type NamedCheck<Kind extends string, Config> = { name: string; main?: boolean } & Record<Kind, Config>;

/**
 * The environment file's shape, as validated by the schema @cutover/environment assembles (its schema.ts). Keys keep the file's spelling. The parts
 * that come in kinds (router, checks, alerts) are typed here only by what every kind shares: each
 * kind's own fields are typed in the kind's file, from its schema fragment (kinds.ts).
 */
import type { FreezeWindow } from './freeze.js';
import type { Rate } from './fragments.js';

export type { Rate };

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  'identity-file'?: string;
  'known-hosts-file'?: string;
  options?: string[];
}

/** The router: its kind picks the router (routers' registry), whose file types the other fields. */
export interface RouterConfig {
  kind: string;
  ssh?: SshTarget;
  /** Several machines driven as one router (instances.ts): each entry overrides the router's fields. */
  instances?: RouterInstance[];
  [field: string]: unknown;
}

/** One machine of a router with instances: a name for messages, and the fields that differ. */
export interface RouterInstance {
  name?: string;
  ssh?: SshTarget;
  [field: string]: unknown;
}

/** A check: a name, and one kind's fields under the kind's key (`http: {...}`). */
export interface CheckConfig {
  name: string;
  main?: boolean;
  [kind: string]: unknown;
}

/** An alert: one kind's fields under the kind's key (`slack: {...}`). */
export type AlertConfig = Record<string, unknown>;

export interface HealthConfig {
  interval?: string;
  deadline?: string;
  duration?: string;
  'min-samples'?: number;
  'failure-limit'?: number;
  confidence?: number;
  inconclusive?: 'fail' | 'pass';
  'error-tolerance'?: Rate;
  'latency-tolerance'?: Rate;
  checks?: CheckConfig[];
  /** URL template ({address}, {pool}) answering the version a server runs (text, or JSON `version`). */
  'version-url'?: string;
}

export interface Environment {
  url?: string;
  router: RouterConfig;
  pools: Record<string, string[]>;
  health?: HealthConfig;
  canary?: { steps?: number[]; 'step-duration'?: string };
  alerts?: AlertConfig[];
  freeze?: FreezeWindow[];
}

export interface NamedEnvironment extends Environment {
  name: string;
}

export interface EnvironmentFile {
  environments: Record<string, Environment>;
}

/** A traffic split: pool name -> weight 0..100, summing to 100. */
export type Split = Record<string, number>;

/** The environment file's shape, as validated by schema.ts. Keys keep the file's spelling. */
import type { FreezeWindow } from './freeze.js';

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  'identity-file'?: string;
  'known-hosts-file'?: string;
  options?: string[];
}

export interface NginxRouterConfig {
  kind: 'nginx';
  'upstream-file': string;
  upstream: string;
  test?: string[];
  reload?: string[];
  'server-options'?: string;
  /** The access log written in Cutover's log_format, read by `traffic` checks. */
  'access-log'?: string;
  ssh?: SshTarget;
}

export interface HaproxyRouterConfig {
  kind: 'haproxy';
  socket: string;
  backend: string;
  ssh?: SshTarget;
}

export interface SymlinkHost {
  name: string;
  ssh?: SshTarget;
  'releases-dir'?: string;
  current?: string;
  probe?: string;
}

export interface SymlinkRouterConfig {
  kind: 'symlink';
  'releases-dir': string;
  current: string;
  /** Strings are normalized to objects when the file is loaded. */
  hosts: (SymlinkHost | string)[];
  restart?: string[];
  'probe-timeout'?: string;
  ssh?: SshTarget;
}

export interface CommandRouterConfig {
  kind: 'command';
  read: string[];
  apply: string[];
  ssh?: SshTarget;
}

export type RouterConfig = NginxRouterConfig | HaproxyRouterConfig | SymlinkRouterConfig | CommandRouterConfig;
export type RouterKind = RouterConfig['kind'];

export interface HttpCheckConfig {
  url: string;
  method?: string;
  'expect-status'?: number | number[] | string;
  'max-latency'?: string;
  'body-contains'?: string;
  timeout?: string;
  headers?: Record<string, string>;
  requests?: number;
  'max-rate'?: number;
  'max-error-rate'?: Rate;
}

/** A share written as a number from 0 to 1 or as a percentage: 0.01 or "1%". */
export type Rate = number | string;

export interface TrafficCheckConfig {
  'max-error-rate'?: Rate;
  'max-latency'?: string;
}

export interface PrometheusCheckConfig {
  url: string;
  /** One number per look (with min, max, max-increase or max-decrease). */
  query?: string;
  /** Or two counters per pool, whose increases are requests and failed requests. */
  requests?: string;
  errors?: string;
  'max-error-rate'?: Rate;
  min?: number;
  max?: number;
  'max-increase'?: number;
  'max-decrease'?: number;
  timeout?: string;
}

export interface CommandCheckConfig {
  argv: string[];
  min?: number;
  max?: number;
  timeout?: string;
}

export interface CheckConfig {
  name: string;
  http?: HttpCheckConfig;
  prometheus?: PrometheusCheckConfig;
  command?: CommandCheckConfig;
  traffic?: TrafficCheckConfig;
  main?: boolean;
}

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

export type AlertConfig =
  | { webhook: { 'url-env': string } }
  | { slack: { 'url-env': string } }
  | { pagerduty: { 'routing-key-env': string; url?: string; severity?: 'critical' | 'error' | 'warning' | 'info' } };

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

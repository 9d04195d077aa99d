/**
 * A check is a source of evidence: it measures a pool (and the baseline pool when comparing) once
 * per look and says what it saw. It never judges the pool: the judgement (judge/) is shared by every
 * kind, so that a new source only says how to measure. One file per kind under sources/, listed in
 * sources/registry.ts.
 */

/** Which pool a look describes: the one watched, or the one it is compared with. */
export type SampleRole = 'target' | 'baseline';

/** One request, as a probe sent it or a load balancer logged it. */
export interface RequestOutcome {
  /** No expected answer: wrong status or body, no connection, a timeout, a 5xx in the logs. */
  failed: boolean;
  /** Answered, but slower than the check's max-latency. */
  slow?: boolean;
  /** Time to the whole answer, when the source measures it (failed requests too). */
  latencyMs?: number;
  status?: number;
  /** Why it failed, for people. */
  problem?: string;
  address?: string;
}

/**
 * What one check saw of one pool in one look.
 * - requests: each request in order (probes: in launch order, so that the n-th request to the
 *   target and the n-th to the baseline were sent together and met the same network and load);
 * - counts: requests counted without order or latency (HAProxy's counters, Prometheus counters);
 * - value: one measured number (a PromQL result, a command's number, HAProxy's mean response time).
 * outcome: 'fail' when the value breaks the check's limits; 'no-data' when there was nothing to
 * measure (a NaN rate: no traffic); 'source-failure' when the source itself could not tell (the
 * query, the socket, the command failed), which counts against health (fail closed).
 */
export interface PoolLook {
  check: string;
  kind: string;
  role: SampleRole;
  pool: string;
  /** Epoch milliseconds when the look ended. */
  at: number;
  outcome: 'pass' | 'fail' | 'no-data' | 'source-failure';
  requests?: RequestOutcome[];
  counts?: { total: number; failed: number };
  value?: number;
  /** prometheus relative limits: the baseline's value the target's was judged against. */
  baselineValue?: number;
  error?: string;
  /** Figures the source gave that were not finite numbers: dropped, and counted as a source failure. */
  dropped?: number;
}

/** The absolute limits of a request check, judged as proportions. */
export interface RequestLimits {
  /** The largest share of failed (or slower than maxLatencyMs) requests the pool may have, 0..1. */
  maxErrorRate: number;
  maxLatencyMs?: number;
  /** Latencies below this are measured as this: the source's resolution (ms). */
  latencyFloorMs: number;
}

export interface LookContext {
  pool: string;
  addresses: string[];
  baselinePool?: string;
  baselineAddresses?: string[];
  signal?: AbortSignal;
  /** Probes: requests to send to each pool this look (the watch sizes them). */
  requests?: number;
  /** Probes: spread the requests over this long, so that they do not queue behind each other. */
  spreadMs?: number;
}

export interface Check {
  readonly name: string;
  readonly kind: string;
  /** The check charted in summaries (`main: true`, else the first). */
  readonly main: boolean;
  /** What passing means, for people: "status 200-299, latency <= 500ms, at most 2% failed". */
  readonly threshold: string;
  /** The unit of values ("ms" for latencies), for tables and charts. */
  readonly unit: string;
  /**
   * 'requests': judged as proportions of requests (absolute limits, and compared with the
   * baseline pool request by request); 'value': one number per look, judged look by look.
   */
  readonly measures: 'requests' | 'value';
  /** requests: the absolute limits. */
  readonly limits?: RequestLimits;
  /** Probes whose number per look the watch chooses, up to maxRate per address and second. */
  readonly probes?: { maxRate: number; fixed?: number };
  /** Only judged against a baseline pool (prometheus max-increase/max-decrease alone). */
  readonly needsBaseline: boolean;
  /** Sets the starting point of counters (traffic sources), before the first look. Never throws. */
  start?(context: LookContext): Promise<void>;
  /** Measures the pool (and the baseline pool when given) once. Never throws. */
  look(context: LookContext): Promise<PoolLook[]>;
}

/** Fills `{address}` and `{pool}` in a URL, query or argument template. */
export function fillTemplate(template: string, values: { address?: string; pool: string }): string {
  return template.replace(/\{(address|pool)\}/g, (whole, key: 'address' | 'pool') => values[key] ?? whole);
}

/** The message of anything thrown, with the cause fetch hides (ECONNREFUSED...). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${error.message}: ${code}` : `${error.message}: ${cause.message}`;
  }
  return error.message;
}

/** A look that measured nothing because the source failed. */
export function sourceFailure(base: Omit<PoolLook, 'outcome' | 'at'>, error: string): PoolLook {
  return { ...base, at: Date.now(), outcome: 'source-failure', error };
}

/** One interface for every health check; one file per kind (http.ts, prometheus.ts, command.ts). */

export type CheckKind = 'http' | 'prometheus' | 'command';

/** Which pool a sample describes: the one watched, or the one it is compared with. */
export type SampleRole = 'target' | 'baseline';

/**
 * - pass: within its limits;
 * - fail: measured, and outside its limits;
 * - no-data: the source answered with nothing to judge (a NaN rate: no traffic); never healthy;
 * - source-failure: the source did not answer (connection refused, timeout, Prometheus error,
 *   empty result); counts against health, as a failure does (fail closed).
 */
export type SampleOutcome = 'pass' | 'fail' | 'no-data' | 'source-failure';

export interface Sample {
  check: string;
  kind: CheckKind;
  role: SampleRole;
  pool: string;
  /** The probed server (http), when the sample is about one. */
  address?: string;
  /** Epoch milliseconds when the measurement ended. */
  at: number;
  outcome: SampleOutcome;
  /** outcome === 'pass' */
  ok: boolean;
  /** The measured number: latency in ms (http), the query's value, the command's number. */
  value?: number;
  /** HTTP status, or a command's exit code. */
  status?: number;
  latencyMs?: number;
  /** http: the request got the expected status and body (latency aside); drives the error rate. */
  answered?: boolean;
  /** prometheus relative limits: the baseline pool's value this sample was judged against. */
  baselineValue?: number;
  /** Why the sample is not a pass. */
  error?: string;
  sourceFailure?: boolean;
}

export interface SampleContext {
  pool: string;
  addresses: string[];
  baselinePool?: string;
  baselineAddresses?: string[];
  signal?: AbortSignal;
}

export interface Check {
  readonly name: string;
  readonly kind: CheckKind;
  /** The check charted in summaries (`main: true`, else the first). */
  readonly main: boolean;
  /** What passing means, for people: "status 200-299, latency <= 500ms". */
  readonly threshold: string;
  /** The unit of `value` ("ms" for http), for tables and charts. */
  readonly unit: string;
  /** Only judged against a baseline pool (prometheus max-increase/max-decrease alone). */
  readonly needsBaseline: boolean;
  /** Measures the pool (and the baseline pool when given and useful) once. Never throws. */
  sample(context: SampleContext): Promise<Sample[]>;
}

/** Fills `{address}` and `{pool}` in a URL, query or argument template. */
export function fillTemplate(template: string, values: { address?: string; pool: string }): string {
  return template.replace(/\{(address|pool)\}/g, (whole, key: 'address' | 'pool') => values[key] ?? whole);
}

/** A sample from its parts; `ok` always follows `outcome`. */
export function makeSample(fields: Omit<Sample, 'ok' | 'sourceFailure' | 'at'> & { at?: number }): Sample {
  const sample: Sample = { ...fields, at: fields.at ?? Date.now(), ok: fields.outcome === 'pass' };
  if (fields.outcome === 'source-failure') sample.sourceFailure = true;
  return sample;
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

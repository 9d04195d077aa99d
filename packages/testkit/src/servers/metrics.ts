/** Prometheus text exposition for the sample backend: counters, a histogram and one gauge. */

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class BackendMetrics {
  private readonly requestsByCode = new Map<number, number>();
  private readonly bucketCounts = DURATION_BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;

  constructor(
    private readonly pool: string,
    public revenuePerMinute: number,
  ) {}

  observe(code: number, seconds: number): void {
    this.requestsByCode.set(code, (this.requestsByCode.get(code) ?? 0) + 1);
    DURATION_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1;
    });
    this.durationSum += seconds;
    this.durationCount += 1;
  }

  render(): string {
    const pool = `pool="${escapeLabel(this.pool)}"`;
    const lines = ['# HELP http_requests_total Requests answered, by pool and status code.', '# TYPE http_requests_total counter'];
    for (const [code, count] of [...this.requestsByCode].sort((a, b) => a[0] - b[0])) {
      lines.push(`http_requests_total{${pool},code="${code}"} ${count}`);
    }
    lines.push('# HELP http_request_duration_seconds Time to answer a request.', '# TYPE http_request_duration_seconds histogram');
    DURATION_BUCKETS.forEach((bound, i) => {
      lines.push(`http_request_duration_seconds_bucket{${pool},le="${bound}"} ${this.bucketCounts[i] ?? 0}`);
    });
    lines.push(
      `http_request_duration_seconds_bucket{${pool},le="+Inf"} ${this.durationCount}`,
      `http_request_duration_seconds_sum{${pool}} ${this.durationSum}`,
      `http_request_duration_seconds_count{${pool}} ${this.durationCount}`,
      '# HELP business_revenue_per_minute Revenue the pool earns per minute (set by the test).',
      '# TYPE business_revenue_per_minute gauge',
      `business_revenue_per_minute{${pool}} ${this.revenuePerMinute}`,
    );
    return lines.join('\n') + '\n';
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

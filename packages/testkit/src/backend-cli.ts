/**
 * The sample backend as its own process (benchmarks, the demo):
 *   tsx packages/testkit/src/backend-cli.ts --pool blue [--version v1] [--port N] [--error-rate 0.05] [--latency 20]
 * Prints its address (127.0.0.1:port) on stdout once listening; steer it with POST /__control.
 */
import { parseArgs } from 'node:util';
import { startBackend } from './servers/backend.js';

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pool: { type: 'string' },
      version: { type: 'string' },
      port: { type: 'string' },
      'error-rate': { type: 'string' },
      latency: { type: 'string' },
      revenue: { type: 'string' },
    },
    strict: true,
  });
  if (!values.pool) throw new Error('--pool is required');
  const backend = await startBackend({
    pool: values.pool,
    version: values.version,
    port: numberOption('port', values.port),
    errorRate: numberOption('error-rate', values['error-rate']),
    latencyMs: numberOption('latency', values.latency),
    revenuePerMinute: numberOption('revenue', values.revenue),
  });
  process.stdout.write(`${backend.address}\n`);
  const shutdown = () => void backend.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`backend: ${(error as Error).message}\n`);
  process.exit(2);
});
